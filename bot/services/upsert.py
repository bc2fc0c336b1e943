"""INSERT … ON CONFLICT for the two backends we run on (SQLite, PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_insert(session: Session, table: Any) -> Any:
    """An INSERT for ``table`` with ``on_conflict_do_nothing/_update`` on this session's backend.

    A unique violation becomes "someone else has it" (do nothing) or "replace
    it" (do update) inside the database, atomically, with no race between a
    SELECT and the INSERT.
    """
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no ON CONFLICT support written for {name}")
