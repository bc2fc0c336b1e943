"""Per-day flags of a pulse (reminded, skipped) under keyed traces, never beside a person.

"Reminded" and "skipped" both say "had not answered by then". Kept on a person's send
row, a database dump could intersect them with the days each weekly respondent key
answered and narrow a key to one person. So each flag is a row holding only
HMAC(CXPULSE_SECRET, team:user:day:kind) and the day: the app recomputes the trace of
a person it already knows to ask "was this reminded?"; a dump cannot go the other way.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.pulse.respondents import send_flag_trace
from models import PulseSendFlag
from models.upsert import dialect_insert

REMINDED = "reminded"
SKIPPED = "skipped"
KINDS = (REMINDED, SKIPPED)
_BATCH = 500
_RANDOM = random.SystemRandom()

T = TypeVar("T")


def traces(
    secret: str, slack_team_id: str, wanted: Mapping[T, tuple[str, date]], *, kind: str
) -> dict[str, T]:
    """The trace of each wanted (user, day), mapped back to its caller's handle."""
    return {
        send_flag_trace(secret, slack_team_id, user, day=day, kind=kind): handle
        for handle, (user, day) in wanted.items()
    }


def flagged(session: Session, found: Iterable[str]) -> set[str]:
    """Which of these traces are stored."""
    wanted = list(found)
    stored: set[str] = set()
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start : start + _BATCH]
        stored.update(
            session.scalars(select(PulseSendFlag.trace).where(PulseSendFlag.trace.in_(chunk)))
        )
    return stored


def add_flags(session: Session, *, workspace_id: int, rows: Mapping[str, date]) -> set[str]:
    """Store these traces (trace -> day); returns the ones this call stored first.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING``: a flag another run stored already is
    not this call's, so two reminder runs at once remind each person once.
    """
    if not rows:
        return set()
    values = [{"trace": t, "workspace_id": workspace_id, "pulse_date": d} for t, d in rows.items()]
    _RANDOM.shuffle(values)  # insertion (heap) order would follow the order people were asked
    table = PulseSendFlag.__table__
    stmt = (
        dialect_insert(session, table)
        .on_conflict_do_nothing(index_elements=["trace"])
        .returning(table.c.trace)
    )
    return {str(t) for t in session.scalars(stmt, values)}


def drop_flags(session: Session, found: Iterable[str]) -> None:
    """Delete these traces (the window closed, the person answered after all, forget-me)."""
    wanted = list(found)
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start : start + _BATCH]
        session.execute(delete(PulseSendFlag).where(PulseSendFlag.trace.in_(chunk)))


def person_flags(
    secret: str, slack_team_id: str, slack_user_id: str, days: Iterable[date]
) -> dict[str, tuple[date, str]]:
    """Every trace one person's pulses of ``days`` could have: trace -> (day, kind)."""
    return {
        send_flag_trace(secret, slack_team_id, slack_user_id, day=day, kind=kind): (day, kind)
        for day in set(days)
        for kind in KINDS
    }


def skipped_days(
    session: Session, *, secret: str, slack_team_id: str, slack_user_id: str, days: Iterable[date]
) -> set[date]:
    """The days among ``days`` the person skipped ("skip today")."""
    mine = {
        t: day
        for t, (day, kind) in person_flags(secret, slack_team_id, slack_user_id, days).items()
        if kind == SKIPPED
    }
    return {mine[t] for t in flagged(session, mine)}
