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


def _processor(table: Any, key: str, dialect: Any) -> Callable[[Any], Any] | None:
    processor: Callable[[Any], Any] | None = (
        table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
    )
    return processor


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
    plain = [k for k in order if _processor(table, k, dialect) is None]
    processed: list[tuple[str, Callable[[Any], Any]]] = [
        (k, p) for k in order if (p := _processor(table, k, dialect)) is not None
    ]
    # Columns reordered so each row is one dict lookup per plain column, then the few
    # (dates and instants) that need their processor; the statement's order follows.
    positions = [order.index(k) for k in plain] + [order.index(k) for k, _ in processed]
    inverse = sorted(range(len(order)), key=positions.__getitem__)
    # Days and the import instant repeat across rows: each is formatted once.
    seen: list[dict[Any, Any]] = [{} for _ in processed]
    rows = []
    for row in values:
        cells = [row[k] for k in plain]
        for (key, process), done in zip(processed, seen, strict=True):
            value = row[key]
            if value is not None and (stored := done.get(value)) is None:
                stored = done[value] = process(value)
            cells.append(None if value is None else stored)
        rows.append(tuple([cells[i] for i in inverse]))
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.executemany(compiled.string, rows)
