"""Many rows into ``customer_outcome`` at once, skipping rows already there.

On SQLite the rows go straight to the driver's ``executemany`` with SQLAlchemy's own
compiled statement and column bind processors (so they are stored exactly as the ORM
stores them): SQLAlchemy's per-row parameter handling otherwise cost as much as
SQLite's own insert work. Other backends take SQLAlchemy Core's executemany.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from models import CustomerOutcome
from models.upsert import dialect_insert

KEYS = ["workspace_id", "source", "external_id"]


def insert_outcomes(session: Session, values: Sequence[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT (workspace, source, external id) DO NOTHING for every row."""
    if not values:
        return
    table = CustomerOutcome.__table__
    stmt = dialect_insert(session, table).on_conflict_do_nothing(index_elements=KEYS)
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        connection.execute(stmt, list(values))
        return
    columns = list(values[0])
    compiled = stmt.compile(dialect=dialect, column_keys=columns)
    order = list(compiled.positiontup or [])
    processors: dict[str, Callable[[Any], Any] | None] = {
        key: table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order
    }

    def cell(row: dict[str, Any], key: str) -> Any:
        value, process = row[key], processors[key]
        return value if process is None or value is None else process(value)

    rows = [tuple(cell(row, key) for key in order) for row in values]
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.executemany(compiled.string, rows)
