"""Rows inserted as an old schema had them, for migration tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, insert


def filled_values(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` plus a plain value for every other NOT NULL column (as 0008 had them)."""
    out = dict(values)
    for column in table.columns:
        if column.name in out or column.nullable or column.primary_key:
            continue
        kind = column.type.python_type
        plain: dict[type, Any] = {datetime: datetime(2026, 3, 1, tzinfo=UTC), bool: True, int: 0}
        out[column.name] = plain.get(kind, "")
    return out


def insert_row(table: Table, **values: Any) -> Any:
    return insert(table).values(**filled_values(table, values))
