"""The per team-week rollup of pulse answers and sends for closed weeks, filled in SQL.

A week is closed once no answer can still arrive for it (answers are accepted for
48 h after a pulse is sent; pulses go out on local days in any time zone), so its
GROUP BY never changes again, unless someone's answers are deleted: forget-me and
the retention purge call ``invalidate_weeks`` for the weeks they touch, and those
weeks are read live until ``refresh_rollup`` rolls them up again. Readers take
rolled-up weeks from ``pulse_rollup`` and every other week from the raw rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, distinct, func, insert, literal, select, text, union_all
from sqlalchemy.orm import Session

from bot.core.disclosure import CLOSE_MARGIN, last_closed_week, week_closed
from bot.core.weeks import week_start
from bot.pulse.store import SENT
from models import PulseAnswer, PulseRollup, PulseRollupWeek, PulseSend
from models.rollup import NO_TEAM_KEY, WHOLE_WORKSPACE_KEY
from models.upsert import dialect_insert

# A week is closed this long after its Monday: the gate's rule (bot/core/disclosure.py).
CLOSED_AFTER = timedelta(weeks=1) + CLOSE_MARGIN
ROLLUP_LOCK_KEY = 0x43585052  # "CXPR": with the workspace id, a transaction-level advisory lock


@dataclass(frozen=True)
class RollupRow:
    """Answers and sends of one team (or everyone) in one rolled-up week."""

    respondents: int
    answers: int
    score_sum: int
    sent_people: int


def _serialize(session: Session, workspace_id: int) -> None:
    """Fill and invalidation of one workspace's rollup take turns (until the transaction ends).

    Without it, on PostgreSQL a fill could read answers that a concurrent forget-me is
    deleting while that forget-me cannot yet see (so cannot drop) the fill's new rows.
    SQLite runs one writing transaction at a time anyway.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key, :workspace)"),
            {"key": ROLLUP_LOCK_KEY, "workspace": workspace_id},
        )


def is_closed(week: date, now: datetime) -> bool:
    """True when no answer can arrive any more for the week starting ``week`` (the gate's rule)."""
    return week_closed(week, now)


def _weeks_with_data(session: Session, *, workspace_id: int, before: date) -> list[date]:
    """Every Monday from the first answer or send up to (not including) ``before``."""
    first = [
        session.scalar(select(func.min(m.week_start)).where(m.workspace_id == workspace_id))
        for m in (PulseAnswer, PulseSend)
    ]
    known = [d for d in first if d is not None]
    if not known:
        return []
    out, week = [], week_start(min(known))
    while week < before:
        out.append(week)
        week += timedelta(weeks=1)
    return out


def _fill_select(workspace_id: int, week: date) -> Any:
    """One week's rows: a GROUP BY per team and one for everyone, answers and sends."""
    a, s = PulseAnswer, PulseSend
    parts = []
    for key in (func.coalesce(a.team_id, NO_TEAM_KEY), literal(WHOLE_WORKSPACE_KEY)):
        parts.append(
            select(
                key.label("team_key"),
                func.count(distinct(a.respondent_key)).label("respondents"),
                func.count(a.id).label("answers"),
                func.sum(a.score).label("score_sum"),
                literal(0).label("sent_people"),
            )
            .where(a.workspace_id == workspace_id, a.week_start == week)
            .group_by(key)
        )
    for key in (func.coalesce(s.team_id, NO_TEAM_KEY), literal(WHOLE_WORKSPACE_KEY)):
        parts.append(
            select(
                key.label("team_key"),
                literal(0),
                literal(0),
                literal(0),
                func.count(distinct(s.person_id)),
            )
            .where(s.workspace_id == workspace_id, s.week_start == week, s.status.in_(SENT))
            .group_by(key)
        )
    rows = union_all(*parts).subquery()
    return select(
        literal(workspace_id),
        literal(week),
        rows.c.team_key,
        func.sum(rows.c.respondents),
        func.sum(rows.c.answers),
        func.sum(rows.c.score_sum),
        func.sum(rows.c.sent_people),
    ).group_by(rows.c.team_key)


def refresh_rollup(session: Session, *, workspace_id: int, now: datetime) -> list[date]:
    """Roll up every closed week not rolled up yet (INSERT … SELECT … GROUP BY); returns them.

    The week's marker is inserted first (ON CONFLICT DO NOTHING), so two instances
    refreshing at once roll each week up once: the second waits, then skips it.
    """
    _serialize(session, workspace_id)
    before = last_closed_week(now) + timedelta(weeks=1)
    done = set(rolled_weeks(session, workspace_id=workspace_id))
    filled = []
    for week in _weeks_with_data(session, workspace_id=workspace_id, before=before):
        if week in done or not is_closed(week, now):
            continue
        marker = dialect_insert(session, PulseRollupWeek).values(
            workspace_id=workspace_id, week_start=week, rolled_at=now
        )
        claimed = session.execute(marker.on_conflict_do_nothing().returning(literal(1)))
        if claimed.first() is None:  # another instance rolled it up meanwhile
            continue
        columns = ["workspace_id", "week_start", "team_key", "respondents", "answers"]
        columns += ["score_sum", "sent_people"]
        session.execute(insert(PulseRollup).from_select(columns, _fill_select(workspace_id, week)))
        filled.append(week)
    session.flush()
    return filled


def invalidate_weeks(session: Session, *, workspace_id: int, weeks: Iterable[date]) -> int:
    """Drop the rollup of ``weeks`` (their raw rows changed): read live until refilled."""
    chosen = sorted(set(weeks))
    if not chosen:
        return 0
    _serialize(session, workspace_id)
    for model in (PulseRollup, PulseRollupWeek):
        session.execute(
            delete(model).where(model.workspace_id == workspace_id, model.week_start.in_(chosen))
        )
    return len(chosen)


def rolled_weeks(
    session: Session, *, workspace_id: int, since: date | None = None, until: date | None = None
) -> list[date]:
    """The rolled-up weeks of a workspace between ``since`` and ``until``, oldest first."""
    m = PulseRollupWeek
    stmt = select(m.week_start).where(m.workspace_id == workspace_id)
    if since is not None:
        stmt = stmt.where(m.week_start >= since)
    if until is not None:
        stmt = stmt.where(m.week_start <= until)
    return list(session.scalars(stmt.order_by(m.week_start)))


def live_ranges(
    rolled: list[date], since: date | None, until: date | None
) -> list[tuple[date | None, date | None]]:
    """The date ranges of [since, until] outside every rolled-up week (each a whole week)."""
    ranges: list[tuple[date | None, date | None]] = []
    cursor = since
    for week in sorted(rolled):
        if cursor is None or cursor < week:
            ranges.append((cursor, week - timedelta(days=1)))
        cursor = week + timedelta(weeks=1)  # every row of a week has its Monday
    if cursor is None or until is None or cursor <= until:
        ranges.append((cursor, until))
    return ranges


def rollup_rows(
    session: Session,
    *,
    workspace_id: int,
    weeks: list[date],
    team_id: int | None,
    by_team: bool,
) -> dict[tuple[int | None, date], RollupRow]:
    """Rolled-up rows of ``weeks`` by (team id or None, week), as team_weeks groups them."""
    if not weeks:
        return {}
    r = PulseRollup
    stmt = select(
        r.week_start, r.team_key, r.respondents, r.answers, r.score_sum, r.sent_people
    ).where(r.workspace_id == workspace_id, r.week_start >= weeks[0], r.week_start <= weeks[-1])
    if team_id is not None:
        stmt = stmt.where(r.team_key == team_id)
    elif not by_team:
        stmt = stmt.where(r.team_key == WHOLE_WORKSPACE_KEY)
    else:
        stmt = stmt.where(r.team_key != WHOLE_WORKSPACE_KEY)
    wanted = set(weeks)
    out: dict[tuple[int | None, date], RollupRow] = {}
    for week, team_key, respondents, answers, score_sum, sent_people in session.execute(stmt):
        if week not in wanted:
            continue
        tid = team_key if by_team and team_key != NO_TEAM_KEY else None
        out[(tid, week)] = RollupRow(respondents, answers, score_sum, sent_people)
    return out
