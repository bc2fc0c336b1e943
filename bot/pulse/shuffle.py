"""Rows re-inserted in random order, so where they sit says nothing of when they came.

PostgreSQL stores a table's rows in heap order, and a dump (`pg_dump`, a nightly
backup) writes them out in that order: without this, a day's answers would read in the
order people tapped, which follows the order their pulses went out (time zone first).
Random ids give SQLite a random order already; PostgreSQL needs the rows moved.

Every write of an answer, a note or a second answer (``write_shuffled``) re-inserts
its whole group (same workspace, team and pulse date, not yet sealed) in random order
in the same transaction, so at any moment a group's rows are a random permutation.
The window job does the same for closed days, marking them sealed.
"""

from __future__ import annotations

import random
import zlib
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, literal_column, or_, select, text
from sqlalchemy.orm import Session

from models import NoteReply, PulseNote

_RANDOM = random.SystemRandom()
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
