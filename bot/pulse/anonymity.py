"""What keeps a stored pulse from pointing at a person: period keys, keyed flags, shuffled rows.

Respondent keys change every period, so one match never reveals a history: a day's
answer, note and second answer share the person's key for that ISO week (distinct
respondents per week can still be counted); the next week's key is unrelated. Monthly
questions (eNPS, the experience gap) use a separate key per month. Without
CXPULSE_SECRET none of them can be tied to a person or to each other.

Per-day flags (reminded, skipped) both say "had not answered by then". Kept on a
person's send row, a database dump could intersect them with the days each weekly key
answered and narrow a key to one person. So each flag is a row holding only
HMAC(CXPULSE_SECRET, team:user:day:kind) and the day: the app recomputes the trace of a
person it already knows to ask "was this reminded?"; a dump cannot go the other way.

Rows are re-inserted in random order, so where they sit says nothing of when they
came. PostgreSQL stores a table's rows in heap order, and a dump (`pg_dump`, a nightly
backup) writes them out in that order: without this, a day's answers would read in the
order people tapped, which follows the order their pulses went out (time zone first).
Random ids give SQLite a random order already; PostgreSQL needs the rows moved. Every
write of an answer, a note or a second answer (``write_shuffled``) re-inserts its whole
group (same workspace, team and pulse date, not yet sealed) in random order in the same
transaction, so at any moment a group's rows are a random permutation. The window job
does the same for closed days, marking them sealed.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import zlib
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, insert, literal_column, or_, select, text
from sqlalchemy.orm import Session

from bot.core.weeks import iso_week_label, week_start
from models import NoteReply, PulseNote, PulseSendFlag
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


def _hmac(secret: str, message: str) -> str:
    if not secret:
        raise ValueError("CXPULSE_SECRET is required to key pulse answers")
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def respondent_key(secret: str, slack_team_id: str, slack_user_id: str, *, day: date) -> str:
    """HMAC-SHA256(secret, "team:user:ISO week of day") as hex."""
    return _hmac(secret, f"{slack_team_id}:{slack_user_id}:{iso_week_label(day)}")


def monthly_key(secret: str, slack_team_id: str, slack_user_id: str, *, day: date) -> str:
    """The key for monthly questions: HMAC-SHA256(secret, "team:user:YYYY-MM:monthly")."""
    return _hmac(secret, f"{slack_team_id}:{slack_user_id}:{day:%Y-%m}:monthly")


def asked_trace(
    secret: str, slack_team_id: str, slack_user_id: str, *, day: date, question: str
) -> str:
    """That this person got ``question`` in ``day``'s month (no person in the row)."""
    return _hmac(secret, f"{slack_team_id}:{slack_user_id}:{day:%Y-%m}:asked:{question}")


def send_flag_trace(
    secret: str, slack_team_id: str, slack_user_id: str, *, day: date, kind: str
) -> str:
    """That this person's pulse of ``day`` was reminded or skipped (``kind``), no person."""
    return _hmac(secret, f"{slack_team_id}:{slack_user_id}:{day.isoformat()}:{kind}")


def week_keys(
    secret: str, slack_team_id: str, slack_user_id: str, *, since: date, until: date
) -> dict[str, date]:
    """The person's weekly keys from ``since`` to ``until``, each with its week's Monday."""
    keys: dict[str, date] = {}
    monday = week_start(since)
    while monday <= until:
        keys[respondent_key(secret, slack_team_id, slack_user_id, day=monday)] = monday
        monday += timedelta(weeks=1)
    return keys


def month_starts(since: date, until: date) -> Iterable[date]:
    """The first day of every month from ``since``'s to ``until``'s."""
    month = since.replace(day=1)
    while month <= until:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


def erasure_marker(secret: str, slack_team_id: str, slack_user_id: str) -> str:
    """That this person was erased on request, for the directory sync to skip them."""
    return _hmac(secret, f"{slack_team_id}:{slack_user_id}:erased")


SHUFFLE_LOCK_KEY = 0x43585348  # "CXSH", with a hash of the group: an advisory lock
# At most this many rows move per write (with the row written): the group's last stored.
# A team-day up to this size is a full random permutation after every write; a larger
# one (a workspace without teams) is shuffled only at its end, so a tap stays cheap
# (bench/tap_write.py) and the window job still shuffles the whole day once it closes.
SHUFFLE_CAP = 500


def reinsert_shuffled(
    session: Session, model: Any, where: list[ColumnElement[bool]], **overrides: Any
) -> int:
    """Delete the rows of ``model`` matching ``where`` and insert them back in random order.

    DELETE … RETURNING hands back only what this transaction really deleted, so a
    concurrent writer that moved a row first is never inserted twice. ``overrides`` set
    columns on the way back in (``sealed=True``). Notes a lead replied to stay put (the
    reply points at them). Returns how many rows moved.
    """
    table = model.__table__
    where = [*where]
    if model is PulseNote:
        where.append(table.c.id.not_in(select(NoteReply.note_id)))
    deleted = session.execute(delete(table).where(*where).returning(*table.c))
    rows = [{**r._mapping, **overrides} for r in deleted]
    _RANDOM.shuffle(rows)
    if rows:
        session.execute(insert(table), rows)
    return len(rows)


def write_shuffled(session: Session, model: Any, statement: Any, values: dict[str, Any]) -> int:
    """Run ``statement`` (the upsert of one row) and re-insert its group in random order.

    Only the written row and the group's ``SHUFFLE_CAP`` rows stored last (highest
    ``ctid`` on PostgreSQL) move. Returns how many did.

    On PostgreSQL the group's writers take turns (a transaction-level advisory lock taken
    before the upsert): otherwise one changing an answer holds its row while another
    moving the group waits on it, and each waits on the other (a deadlock; tested).
    """
    table = model.__table__
    workspace_id, team_id, day = values["workspace_id"], values["team_id"], values["pulse_date"]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        group = zlib.crc32(f"{table.name}:{workspace_id}:{team_id}:{day}".encode())
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key, :group)"),
            {"key": SHUFFLE_LOCK_KEY, "group": group - 2**31},  # two int4 keys
        )
    session.execute(statement, values)
    team = table.c.team_id.is_(None) if team_id is None else table.c.team_id == team_id
    group_rows = [
        table.c.workspace_id == workspace_id,
        table.c.pulse_date == day,
        team,
        table.c.sealed.is_(False),
    ]
    # SQLite keeps rows in rowid (= random id) order, so its "last stored" is any subset.
    stored = literal_column("ctid") if dialect == "postgresql" else table.c.id
    newest = select(table.c.id).where(*group_rows).order_by(stored.desc()).limit(SHUFFLE_CAP)
    written = table.c.respondent_key == values["respondent_key"]
    return reinsert_shuffled(session, model, [*group_rows, or_(table.c.id.in_(newest), written)])
