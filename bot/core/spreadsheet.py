"""CSV for spreadsheets: a text cell starting like a formula is written as text (OWASP).

Excel, LibreOffice and Google Sheets run a cell starting with one of ``FORMULA_STARTS``
("CSV injection"); a leading apostrophe keeps it text, and the text is still all there.
Every CSV the app writes goes through ``write_csv`` (``render``: CSV or JSON, for analysts).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

# What Excel, LibreOffice and Google Sheets read as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell starting like a formula, with a leading ' so it stays text.

    Numbers are left alone: a negative sentiment is data, and Python writes it as such.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], **dialect: Any) -> str:
    """Rows as CSV, header first, every text cell made spreadsheet-safe (None: empty)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", **dialect)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    return out.getvalue()


def render(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str, **dialect: Any
) -> str:
    """Rows as CSV (header first, text cells made safe, None empty) or a JSON list of objects."""
    if fmt == "json":
        return json.dumps([{k: row.get(k) for k in columns} for row in rows], indent=2) + "\n"
    return write_csv(rows, columns, **dialect)
