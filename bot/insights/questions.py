"""eNPS and the rotating second questions: results per closed week or month, per team.

Every figure here follows the privacy rules: closed periods only; a group is shown only
when at least the anonymity threshold of distinct people answered; and when the whole
workspace is shown beside some teams, the people in the teams not shown must themselves
be none or at least the threshold — otherwise "everyone" minus the shown teams would
describe a group too small to show, so the whole-workspace figure is withheld too
(complementary suppression). All surfaces (digests, App Home, the export) read this one
function, so no surface can show a figure another surface's figures give away.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from bot.core.disclosure import (
    CLOSE_MARGIN,
    effective_threshold,
    last_closed_month,
    last_closed_week,
    suppress_complement,
)
from bot.core.weeks import iso_week_label, week_start
from bot.insights.experience_gap import month_bounds
from bot.insights.teamweeks import NO_TEAM, WHOLE_WORKSPACE
from bot.pulse.questions import BANK, ENPS, MONTHLY, QUESTIONS, Question
from models import PulseExtraAnswer, Team

WEEK, MONTH = "week", "month"
# A month is closed this long after it ends: the gate's rule (bot/core/disclosure.py).
MONTH_CLOSED_AFTER = CLOSE_MARGIN
BANK_KEYS = tuple(q.key for q in BANK)
_NO_TEAM_KEY = 0  # team ids are positive


@dataclass(frozen=True)
class QuestionResult:
    """One question's result for one team (``team_id`` None: everyone) and closed period.

    ``value`` is the eNPS (−100…100) for eNPS, the share answering yes (0–100 %) for a
    yes/no question, and the mean (1–5) for a scale question.
    """

    team_id: int | None
    team: str
    period: str
    period_start: date
    question_key: str
    respondents: int
    value: float
    previous: float | None = None

    @property
    def change(self) -> float | None:
        """The change against the previous period, when both are shown."""
        return None if self.previous is None else round(self.value - self.previous, 2)

    @property
    def label(self) -> str:
        """The period as people read it: ``2026-W11`` or ``2026-03``."""
        if self.period == WEEK:
            return iso_week_label(self.period_start)
        return self.period_start.strftime("%Y-%m")

    @property
    def question(self) -> Question:
        """The question asked."""
        return QUESTIONS[self.question_key]


@dataclass(frozen=True)
class _Counts:
    respondents: int
    answers: int
    total: int
    promoters: int
    detractors: int


def _previous(period: str, start: date) -> date:
    if period == WEEK:
        return start - timedelta(weeks=1)
    return (start - timedelta(days=1)).replace(day=1)


def closed_periods(period: str, now: datetime, count: int, until: date | None = None) -> list[date]:
    """The last ``count`` closed periods' starts up to ``until`` (if given), oldest first."""
    start = last_closed_week(now) if period == WEEK else last_closed_month(now)
    if until is not None:
        start = min(start, week_start(until) if period == WEEK else until.replace(day=1))
    starts = [start]
    for _ in range(count - 1):
        starts.append(_previous(period, starts[-1]))
    return starts[::-1]


def _value(question: Question, counts: _Counts) -> float:
    if question.kind == "nps":
        return round(100.0 * (counts.promoters - counts.detractors) / counts.answers, 1)
    if question.kind == "yes_no":
        return round(100.0 * counts.total / counts.answers, 1)
    return round(counts.total / counts.answers, 2)


_COUNTS: list[Any] = [
    func.count(distinct(PulseExtraAnswer.respondent_key)),
    func.count(PulseExtraAnswer.id),
    func.sum(PulseExtraAnswer.value),
    func.sum(case((PulseExtraAnswer.value >= 9, 1), else_=0)),
    func.sum(case((PulseExtraAnswer.value <= 6, 1), else_=0)),
]

# (period start, question key, team key or None for everyone) → counts
_Grouped = dict[tuple[date, str, int | None], _Counts]


def _counts(row: Sequence[Any]) -> _Counts:
    return _Counts(*(int(v or 0) for v in row))


def _grouped(
    session: Session, *, workspace_id: int, period: str, starts: Sequence[date], keys: Iterable[str]
) -> _Grouped:
    """Counts per period, question and team, and per period and question for everyone."""
    extra = PulseExtraAnswer
    base = [extra.workspace_id == workspace_id, extra.question_key.in_(list(keys))]
    team = func.coalesce(extra.team_id, _NO_TEAM_KEY)
    out: _Grouped = {}
    if period == WEEK:
        where = [*base, extra.week_start >= starts[0], extra.week_start <= starts[-1]]
        for by_team in (True, False):
            cols: list[Any] = [extra.week_start, extra.question_key, *([team] if by_team else [])]
            stmt = select(*cols, *_COUNTS).where(*where).group_by(*cols)
            for row in session.execute(stmt):
                who = int(row[2]) if by_team else None
                out[(row[0], str(row[1]), who)] = _counts(row[3:] if by_team else row[2:])
        return out
    for start in starts:
        first, following = month_bounds(start)
        where = [*base, extra.pulse_date >= first, extra.pulse_date < following]
        for by_team in (True, False):
            cols = [extra.question_key, *([team] if by_team else [])]
            stmt = select(*cols, *_COUNTS).where(*where).group_by(*cols)
            for row in session.execute(stmt):
                who = int(row[1]) if by_team else None
                out[(start, str(row[0]), who)] = _counts(row[2:] if by_team else row[1:])
        _people_not_keys(session, out, start=start, where=where, team=team)
    return out


def _people_not_keys(
    session: Session, out: _Grouped, *, start: date, where: list[Any], team: Any
) -> None:
    """Over a month, count people, not keys, for the questions keyed per ISO week.

    A person has one key per week (bot/pulse/anonymity.py), so distinct keys over a
    month can count one person four times. The most distinct keys in any one week is a
    number of people the month surely has; it is what the threshold is checked against.
    eNPS has one key per person and month: its distinct keys are people already.
    """
    extra = PulseExtraAnswer
    weekly = [*where, extra.question_key.not_in(tuple(MONTHLY))]
    for by_team in (True, False):
        cols: list[Any] = [extra.question_key, *([team] if by_team else []), extra.week_start]
        stmt = (
            select(*cols, func.count(distinct(extra.respondent_key))).where(*weekly).group_by(*cols)
        )
        most: dict[tuple[str, int | None], int] = {}
        for row in session.execute(stmt):
            group = (str(row[0]), int(row[1]) if by_team else None)
            most[group] = max(most.get(group, 0), int(row[-1]))
        for (question_key, who), people in most.items():
            found = out.get((start, question_key, who))
            if found is not None:
                out[(start, question_key, who)] = replace(found, respondents=people)


def _publishable(groups: dict[int | None, _Counts], limit: int) -> set[int | None]:
    """Which groups of one period and question may be shown (None: everyone).

    When everyone minus the shown teams would leave fewer than ``limit`` people (but some),
    the whole-workspace figure is withheld: one figure lost, and the team figures leads
    act on are kept (withholding the smallest shown team instead would cost as much).
    """
    whole = groups.get(None)
    parts = {t: c.respondents for t, c in groups.items() if t is not None}
    return suppress_complement(parts, whole.respondents if whole else None, limit)


def question_results(
    session: Session,
    *,
    workspace_id: int,
    threshold: int,
    now: datetime,
    period: str,
    count: int = 1,
    keys: Sequence[str] | None = None,
    team_id: int | None = None,
    whole_workspace_only: bool = False,
    until: date | None = None,
) -> list[QuestionResult]:
    """Results of the last ``count`` closed periods, each with the change on the one before.

    ``until`` ends the periods earlier (a digest reporting an older week); open periods
    are never reported, whatever ``until`` says.

    ``period`` is "week" (the bank questions) or "month" (eNPS and the bank questions).
    ``team_id`` keeps one team's rows; ``whole_workspace_only`` keeps everyone's.
    """
    if period not in (WEEK, MONTH):
        raise ValueError(f"period must be {WEEK!r} or {MONTH!r}, not {period!r}")
    wanted = tuple(keys) if keys else (BANK_KEYS if period == WEEK else (ENPS, *BANK_KEYS))
    starts = closed_periods(period, now, count + 1, until)
    grouped = _grouped(
        session, workspace_id=workspace_id, period=period, starts=starts, keys=wanted
    )
    names = dict(
        session.execute(select(Team.id, Team.name).where(Team.workspace_id == workspace_id)).all()
    )
    limit = effective_threshold(threshold)
    shown: dict[tuple[date, str, int | None], QuestionResult] = {}
    for start in starts:
        for key in wanted:
            groups = {t: c for (s, k, t), c in grouped.items() if s == start and k == key}
            for who in _publishable(groups, limit):
                counts = groups[who]
                shown[(start, key, who)] = QuestionResult(
                    team_id=who or None,
                    team=WHOLE_WORKSPACE if who is None else names.get(who, NO_TEAM),
                    period=period,
                    period_start=start,
                    question_key=key,
                    respondents=counts.respondents,
                    value=_value(QUESTIONS[key], counts),
                )
    results: list[QuestionResult] = []
    for (start, key, who), result in shown.items():
        if start == starts[0]:
            continue  # only there for the change
        if whole_workspace_only and who is not None:
            continue
        if team_id is not None and who != team_id:
            continue
        before = shown.get((_previous(period, start), key, who))
        results.append(replace(result, previous=before.value if before else None))
    order = {k: i for i, k in enumerate(wanted)}
    results.sort(
        key=lambda r: (r.period_start, r.team_id is not None, r.team, order[r.question_key])
    )
    return results
