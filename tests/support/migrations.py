"""Rows inserted as an old schema had them, for migration tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Table, insert

from models.db import upgrade


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


def assert_upgrade_needs_the_secret(
    url: str, before: str, seed: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From revision ``before`` with ``seed``'s rows, an upgrade without CXPULSE_SECRET stops
    and names it."""
    upgrade(url, before)
    seed(url)
    monkeypatch.delenv("CXPULSE_SECRET", raising=False)
    with pytest.raises(RuntimeError, match="CXPULSE_SECRET"):
        upgrade(url)
