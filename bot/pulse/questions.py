"""The second question under the daily pulse: a small rotating bank, eNPS and the experience gap."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.core.i18n import N_

ENPS = "enps"
EXPERIENCE_GAP = "experience_gap"
# Asked once a month each; kept at month precision under a monthly key.
MONTHLY = frozenset({ENPS, EXPERIENCE_GAP})


@dataclass(frozen=True)
class Question:
    """A second question: its key, wording, and the answers a button may carry."""

    key: str
    text: str  # the English wording, a msgid: shown through the reader's translator
    kind: str  # "scale" (1–5), "yes_no" (1 yes, 0 no) or "nps" (0–10)

    @property
    def values(self) -> tuple[int, ...]:
        """The allowed answer values, in button order."""
        if self.kind == "yes_no":
            return (1, 0)
        if self.kind == "nps":
            return tuple(range(11))
        return (1, 2, 3, 4, 5)


# Rotated by date so a whole team sees the same question on the same day.
BANK: tuple[Question, ...] = (
    Question("workload", N_("How manageable was your workload today?"), "scale"),
    Question("recognition", N_("Did you feel recognised for your work this week?"), "scale"),
    Question("helped_customer", N_("Did you help a customer today?"), "yes_no"),
    Question("tools", N_("Did your tools help you serve customers today?"), "scale"),
    Question("team_support", N_("Could you count on your team today?"), "yes_no"),
)
ENPS_QUESTION = Question(
    ENPS, N_("How likely are you to recommend working here to a friend? (0–10)"), "nps"
)
EXPERIENCE_GAP_QUESTION = Question(
    EXPERIENCE_GAP, N_("How would your customers rate you this month?"), "scale"
)
QUESTIONS: dict[str, Question] = {q.key: q for q in (*BANK, ENPS_QUESTION, EXPERIENCE_GAP_QUESTION)}


def question(key: str | None) -> Question | None:
    """The question stored under ``key`` (None for no second question or an old key)."""
    return QUESTIONS.get(key) if key else None


def bank_question(day: date) -> Question:
    """The rotating question for ``day``."""
    return BANK[day.toordinal() % len(BANK)]


def choose_question(
    *,
    day: date,
    is_lead: bool,
    asked_this_month: Iterable[str],
    second_question_enabled: bool,
    enps_enabled: bool,
) -> str | None:
    """The question key for one person's pulse on ``day``.

    Leads get the experience-gap question once a month, everyone eNPS once a
    month (first pulse of the month that has neither), otherwise the bank.
    """
    asked = set(asked_this_month)
    if is_lead and EXPERIENCE_GAP not in asked:
        return EXPERIENCE_GAP
    if enps_enabled and ENPS not in asked:
        return ENPS
    if second_question_enabled:
        return bank_question(day).key
    return None


def is_valid_answer(key: str, value: int) -> bool:
    """True when ``value`` is an allowed answer to question ``key``."""
    found = question(key)
    return found is not None and value in found.values
