"""The disclosure gate: the one place that decides whether a figure may be shown.

Every figure the app shows anyone (Slack messages and App Home, the 12-week chart and
its alt text, digests and their preview, second questions and eNPS, the notes list,
drop alerts, the exports and the CLI, the experience gap) is computed by a surface
registered here, with the rules below, and by no other route:

- Closed periods only. A day, week or month is shown once no answer for it can still
  arrive (``period_closed``), and answers for a closed period are refused, so a shown
  figure never changes afterwards (forget-me and the retention purge excepted: they
  only remove people).
- The threshold: at least ``threshold`` distinct respondents (distinct writers for
  notes) per group shown, never fewer than ``MIN_ANONYMITY_THRESHOLD``, and one more
  when the viewer is in the group (they know their own answer and could subtract it).
- Complementary suppression: no total is shown whose withheld parts add up to a group
  smaller than the threshold (``suppress_complement``).
- Roles: team figures are for named leads only; ``everyone`` as leads widens who may
  celebrate, nothing else (``sees_team_figures`` / ``may_celebrate``).

The query modules that build a surface's inputs take the decided values (the last
closed period, the ``limit``) as parameters and import nothing from here that they
could get wrong; views and handlers may not import them at all (tests/test_structure.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from bot.config import MIN_ANONYMITY_THRESHOLD
from bot.core.weeks import week_start

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.insights.questions import QuestionResult
    from bot.insights.teamweeks import TeamWeek
    from bot.workspace.roles import Leads

# -- closed periods -------------------------------------------------------------------------

# A period's last local day D ends by UTC D+1 12:00 (UTC-12), its pulse goes out by then
# plus the scheduler's 3 h catch-up, and answers are accepted 48 h after sending: every
# answer for D is in by the end of UTC day D+3 (what the pulse-window job has always
# assumed). Answers are refused once their day is closed, so this holds by construction.
CLOSE_MARGIN = timedelta(days=3)
_WEEK = timedelta(weeks=1)


def period_closed(end: date, now: datetime) -> bool:
    """True once no answer can arrive for a period ending (exclusive) on ``end``.

    The one closed-period rule: days, weeks and months all ask it.
    """
    return end + CLOSE_MARGIN <= now.date()


def next_month(first: date) -> date:
    """The first day of the month after the one starting (or containing) ``first``."""
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def day_closed(day: date, now: datetime) -> bool:
    """True once no answer can arrive for pulse day ``day`` (answers are refused then)."""
    return period_closed(day + timedelta(days=1), now)


def last_closed_day(now: datetime) -> date:
    """The newest closed pulse day."""
    return now.date() - CLOSE_MARGIN - timedelta(days=1)


def week_closed(week: date, now: datetime) -> bool:
    """True once no answer can arrive for the ISO week starting ``week``."""
    return period_closed(week_start(week) + _WEEK, now)


def month_closed(month: date, now: datetime) -> bool:
    """True once no answer can arrive for ``month`` (any day in it)."""
    return period_closed(next_month(month.replace(day=1)), now)


def last_closed_week(now: datetime) -> date:
    """The Monday of the newest closed week."""
    return week_start(now.date() - CLOSE_MARGIN) - _WEEK


def last_closed_month(now: datetime) -> date:
    """The first day of the newest closed month."""
    current = (now.date() - CLOSE_MARGIN).replace(day=1)
    return (current - timedelta(days=1)).replace(day=1)


def shown_week(asked: date, now: datetime) -> date:
    """The week a surface asked for ``asked`` may show: it, or the newest closed week."""
    return min(week_start(asked), last_closed_week(now))


# -- the threshold -----------------------------------------------------------------------


def effective_threshold(configured: int) -> int:
    """The anonymity threshold in force: the setting, never below the hard minimum."""
    return max(MIN_ANONYMITY_THRESHOLD, configured)


@dataclass(frozen=True)
class Audience:
    """Who a figure is shown to: the threshold in force and whether they are in the group."""

    threshold: int
    viewer_in_group: bool = False

    @property
    def shown_threshold(self) -> int:
        """The threshold the texts name ("fewer than N people")."""
        return effective_threshold(self.threshold)

    @property
    def limit(self) -> int:
        """Distinct people a group shown to this audience needs."""
        return self.shown_threshold + (1 if self.viewer_in_group else 0)


def may_show(people: int, audience: Audience) -> bool:
    """True when a group of ``people`` distinct respondents may be shown to ``audience``."""
    return people >= audience.limit


K = TypeVar("K", bound=Hashable)


def suppress_complement(parts: Mapping[K, int], whole: int | None, limit: int) -> set[K | None]:
    """Which of the parts (and ``None``: the whole) of one period may be shown together.

    A part is shown with ``limit`` people or more. The whole is withheld when the parts
    not shown add up to 1..limit-1 people: "everyone" minus the parts shown would
    describe them. The whole goes rather than a part (team figures are what leads act on).
    """
    shown: set[K | None] = {key for key, people in parts.items() if people >= limit}
    if whole is None or whole < limit:
        return shown
    hidden = sum(people for key, people in parts.items() if key not in shown)
    if not 0 < hidden < limit:
        shown.add(None)
    return shown


# -- roles -------------------------------------------------------------------------------


def sees_team_figures(leads: Leads, user_id: str) -> bool:
    """True for named leads (directly or by user group): ``everyone`` does not count here."""
    return user_id in leads.members


def may_celebrate(leads: Leads, user_id: str) -> bool:
    """True for named leads, and for anyone when leads are ``everyone``."""
    return leads.everyone or user_id in leads.members


# -- surfaces ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure a surface shows: of which group and period, about how many people."""

    surface: str
    period: str  # e.g. "2026-W11", "2026-03"
    group: str  # a team name, or the whole workspace
    what: str  # e.g. "mood", "enps", "notes"
    people: int
    value: float | str


@dataclass(frozen=True)
class SurfaceAsk:
    """What a surface is asked for: a workspace, a team (None: everyone), a viewer, a time."""

    workspace_id: int
    team_id: int | None
    audience: Audience
    now: datetime
    own_key: str | None = None


FigureSource = Callable[["Session", SurfaceAsk], list[Figure]]


def mood_figures(name: str, rows: Iterable[TeamWeek | None]) -> list[Figure]:
    """The shown mood figures among team-week rows (withheld ones are not figures)."""
    return [
        Figure(name, r.week_start.isoformat(), r.team, "mood", r.respondents, r.mean_mood)
        for r in rows
        if r is not None and r.mean_mood is not None and r.respondents is not None
    ]


def question_figures(name: str, results: Iterable[QuestionResult | None]) -> list[Figure]:
    """The shown eNPS and second-question figures."""
    return [
        Figure(name, r.label, r.team, r.question_key, r.respondents, r.value)
        for r in results
        if r is not None
    ]


# Every surface, and the module that registers it (the experience gap is on lead_home).
# The generic privacy test walks them all; one missing here, or not registered, fails it.
SURFACES: dict[str, str] = {
    "lead_home": "bot.home.store",
    "lead_chart": "bot.home.chart",
    "lead_questions": "bot.home.store",
    "digest": "bot.digest.store",
    "digest_questions": "bot.digest.store",
    "notes": "bot.notes.store",
    "drop_alert": "bot.alerts.store",
    "export_team_weeks": "bot.insights.reports",
    "export_questions": "bot.insights.export",
}
_registered: dict[str, FigureSource] = {}


def surface(name: str) -> Callable[[FigureSource], FigureSource]:
    """Register ``name``'s figure source (what it shows, through the same functions)."""
    if name not in SURFACES:
        raise ValueError(f"unknown surface {name!r}: add it to SURFACES")

    def register(source: FigureSource) -> FigureSource:
        _registered[name] = source
        return source

    return register


def registered_surfaces() -> dict[str, FigureSource]:
    """Every surface's figure source (importing the modules that register them)."""
    for module in sorted(set(SURFACES.values())):
        importlib.import_module(module)
    return dict(_registered)
