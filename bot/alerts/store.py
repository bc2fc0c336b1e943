"""Drop alerts: is a team's closed-week mood below what its own history makes likely?

One alert per team is claimed at most every four weeks (``claim_alert``), before its
leads are told.

A team's weekly mood is persistent (a good month follows a good month), so the band is
not "mean ± 2 sd" of past weeks but a prediction interval from an AR(1) fitted to the
team's recent weeks by least squares: this week is predicted from last week, and the
interval widens with the uncertainty of the fit itself (Student t, few weeks). The
alert fires when the mood is below the interval's lower edge (a two-sided 95 % band,
so nominally 2.5 % of unchanged weeks) and at least ``MIN_DROP`` below the prediction.
``bench/drop_alert.py`` checks the false-alarm rate on generated teams, persistent
ones included, and the rate at which real drops are found.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.disclosure import Audience, Figure, SurfaceAsk, last_closed_week, surface
from bot.insights.teamweeks import TeamWeek, team_weeks
from models import DropAlert, Person
from models.upsert import dialect_insert

HISTORY_WEEKS = 12  # recent closed weeks the band is fitted on
MIN_HISTORY = 8  # shown weeks needed before any alert
LEVEL = 0.95  # two-sided band; the alert looks at its lower edge
MIN_DROP = 0.2  # mood points below the prediction, so a flat history's tiny band does not nag
MIN_SPREAD = 0.05  # floor on the residual sd, for the same reason


@dataclass(frozen=True)
class MoodBand:
    """What a team's history makes likely for the next week."""

    expected: float
    low: float
    high: float
    weeks: int


@dataclass(frozen=True)
class DropCheck:
    """A team's latest closed week against its band."""

    team_id: int | None
    team: str
    week_start: date
    mood: float
    respondents: int
    band: MoodBand

    @property
    def is_drop(self) -> bool:
        """True when the alert should fire."""
        return self.mood < self.band.low and self.band.expected - self.mood >= MIN_DROP


def mood_band(history: Sequence[float | None], *, level: float = LEVEL) -> MoodBand | None:
    """The band for the week after ``history`` (oldest first; None for a withheld week).

    None when there is too little history, or last week was withheld (nothing to
    predict from).
    """
    shown = [v for v in history if v is not None]
    if len(shown) < MIN_HISTORY or history[-1] is None:
        return None
    # Imported here: scipy.stats takes a noticeable part of a second to import, and every
    # app process imports the job modules at start; only the hourly alert job needs it.
    from scipy import stats

    pairs = [(a, b) for a, b in pairwise(history) if a is not None and b is not None]
    quantile = float(stats.t.ppf(0.5 + level / 2, df=max(1, len(pairs) - 2)))
    last = float(history[-1])
    xs = [a for a, _ in pairs]
    ys = [b for _, b in pairs]
    n = len(pairs)
    x_mean, y_mean = sum(xs) / n, sum(ys) / n
    sxx = sum((x - x_mean) ** 2 for x in xs)
    if n < MIN_HISTORY - 2 or sxx < 1e-9:
        # No usable week-to-week pairs (or a flat history): the history's mean and spread.
        mean = sum(shown) / len(shown)
        sd = max(MIN_SPREAD, math.sqrt(sum((v - mean) ** 2 for v in shown) / (len(shown) - 1)))
        q = float(stats.t.ppf(0.5 + level / 2, df=len(shown) - 1))
        half = q * sd * math.sqrt(1 + 1 / len(shown))
        return MoodBand(mean, mean - half, mean + half, len(shown))
    slope = sum((x - x_mean) * (y - y_mean) for x, y in pairs) / sxx
    intercept = y_mean - slope * x_mean
    residuals = [y - (intercept + slope * x) for x, y in pairs]
    spread = max(MIN_SPREAD, math.sqrt(sum(r * r for r in residuals) / max(1, n - 2)))
    expected = intercept + slope * last
    half = quantile * spread * math.sqrt(1 + 1 / n + (last - x_mean) ** 2 / sxx)
    return MoodBand(expected, expected - half, expected + half, len(shown))


def check_week(rows: Sequence[TeamWeek], week: date) -> DropCheck | None:
    """``week`` of one team's rows against the band of the weeks before it."""
    by_week = {r.week_start: r for r in rows}
    current = by_week.get(week)
    if current is None or current.mean_mood is None or current.respondents is None:
        return None
    history = [
        by_week[w].mean_mood if w in by_week else None
        for w in (week - timedelta(weeks=k) for k in range(HISTORY_WEEKS, 0, -1))
    ]
    band = mood_band(history)
    if band is None:
        return None
    return DropCheck(
        current.team_id, current.team, week, current.mean_mood, current.respondents, band
    )


def alert_audience(threshold: int) -> Audience:
    """Who reads a drop alert: the team's own leads, members of the group."""
    return Audience(threshold, viewer_in_group=True)


def team_drops(
    session: Session, *, workspace_id: int, audience: Audience, now: datetime
) -> list[DropCheck]:
    """Teams whose latest closed week is a drop (above the gate's limit only)."""
    week = last_closed_week(now)
    rows = team_weeks(
        session,
        workspace_id=workspace_id,
        threshold=audience.limit,
        since=week - timedelta(weeks=HISTORY_WEEKS),
        until=week,
    )
    by_team: dict[int, list[TeamWeek]] = {}
    for row in rows:
        if row.team_id is not None:
            by_team.setdefault(row.team_id, []).append(row)
    checks = [check_week(team_rows, week) for team_rows in by_team.values()]
    return [c for c in checks if c is not None and c.is_drop]


@surface("drop_alert")
def drop_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """The alerts the job would send now: the team's mood in its latest closed week."""
    found = team_drops(session, workspace_id=ask.workspace_id, audience=ask.audience, now=ask.now)
    return [
        Figure("drop_alert", c.week_start.isoformat(), c.team, "mood", c.respondents, c.mood)
        for c in found
        if ask.team_id is None or c.team_id == ask.team_id
    ]


COOLDOWN = timedelta(weeks=4)


def team_members(
    session: Session, *, workspace_id: int, team_ids: Iterable[int]
) -> dict[int, list[str]]:
    """Active people's Slack ids per team (to find each team's leads among them)."""
    ids = list(team_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Person.team_id, Person.slack_user_id)
        .where(
            Person.workspace_id == workspace_id,
            Person.team_id.in_(ids),
            Person.active.is_(True),
        )
        .order_by(Person.slack_user_id)
    )
    members: dict[int, list[str]] = {}
    for team_id, user_id in rows:
        if team_id is not None:
            members.setdefault(team_id, []).append(user_id)
    return members


def claim_alert(
    session: Session, *, workspace_id: int, team_id: int, week: date, now: datetime
) -> bool:
    """Claim the alert for ``team_id``'s ``week``; False when one went in the last four weeks."""
    recent = session.scalar(
        select(DropAlert.id).where(
            DropAlert.workspace_id == workspace_id,
            DropAlert.team_id == team_id,
            DropAlert.week_start > week - COOLDOWN,
            DropAlert.week_start <= week,
        )
    )
    if recent is not None:
        return False
    stmt = (
        dialect_insert(session, DropAlert.__table__)
        .values(workspace_id=workspace_id, team_id=team_id, week_start=week, created_at=now)
        .on_conflict_do_nothing(index_elements=["workspace_id", "team_id", "week_start"])
        .returning(DropAlert.id)
    )
    return session.execute(stmt).first() is not None


def record_told(
    session: Session, *, workspace_id: int, team_id: int, week: date, leads_told: int
) -> None:
    """How many leads the alert reached."""
    session.execute(
        update(DropAlert)
        .where(
            DropAlert.workspace_id == workspace_id,
            DropAlert.team_id == team_id,
            DropAlert.week_start == week,
        )
        .values(leads_told=leads_told)
    )
