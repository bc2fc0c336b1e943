"""INSERT … ON CONFLICT for the two backends we run on (SQLite, PostgreSQL)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_insert(session: Session, table: Any) -> Any:
    """An INSERT for ``table`` with ``on_conflict_do_nothing/_update`` on this session's backend.

    A unique violation becomes "someone else has it" (do nothing) or "replace
    it" (do update) inside the database, atomically, with no race between a
    SELECT and the INSERT.
    """
    return _INSERTS[_backend(session)](table)


def _backend(session: Session) -> str:
    name = session.get_bind().dialect.name
    if name not in _INSERTS:
        raise NotImplementedError(f"no ON CONFLICT support written for {name}")
    return name


def insert_if_absent(
    session: Session, model: Any, values: dict[str, Any], *, keys: tuple[str, ...]
) -> None:
    """``INSERT … ON CONFLICT (keys) DO NOTHING``: a row someone inserted meanwhile wins.

    For "create on first sight" rows (workspace, team, person, customer): two first
    requests at once then share one row instead of one failing on the unique key.
    """
    stmt: Any = dialect_insert(session, model).values(**values)
    session.execute(stmt.on_conflict_do_nothing(index_elements=list(keys)))


def upsert(session: Session, model: Any, *, keys: tuple[str, ...], updates: tuple[str, ...]) -> Any:
    """``INSERT … ON CONFLICT (keys) DO UPDATE SET updates``, to run with a dict of values.

    Built once per backend and model: a tap upserts an answer, and building the
    statement (with its ``excluded`` columns) cost more than running it.
    """
    return _upsert(_backend(session), model.__table__, keys, updates)


@cache
def _upsert(dialect: str, table: Any, keys: tuple[str, ...], updates: tuple[str, ...]) -> Any:
    insert: Any = _INSERTS[dialect](table)
    return insert.on_conflict_do_update(
        index_elements=list(keys), set_={c: insert.excluded[c] for c in updates}
    )
