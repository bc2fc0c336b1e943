"""`cxpulse import outcomes`: a help-desk export read, checked, matched and stored in batches.

Each help desk's documented columns are mapped to the generic row.

Zendesk (satisfaction ratings): ``id``, ``ticket_id`` (the outcome's id when present:
one rating per ticket), ``assignee_email``, ``score`` (good/bad, or 1–5 with the newer
CSAT; ``offered``/``unoffered`` are not ratings), ``comment``, ``created_at``.
Freshdesk (satisfaction ratings): ``id``, ``agent_email``,
``ratings.default_question`` on Freshdesk's scale (103 extremely happy … 100 neutral …
−103 extremely unhappy), ``feedback``, ``created_at``. Intercom (conversation ratings):
``conversation_id``, ``teammate_email``, ``rating`` 1–5, ``remark``, ``created_at`` in
Unix seconds. The generic CSV: ``when, agent, kind, score, customer, comment, external_id``.

Workload, optional in every format: handling time (Zendesk ``total_time_spent_sec``, the
Time Tracking app's field, in seconds; Freshdesk ``time_tracked`` as hh:mm; Intercom
``handling_time`` in seconds; the generic ``handle_time`` in minutes) and ``tickets``,
the number of tickets the row's agent handled that day (no rating export carries it;
add it from the help desk's agent report).
Headers compare case-insensitively, spaces read as underscores; the delimiter is sniffed.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.orm import Session

from bot.outcomes.rows import (
    GENERIC_COLUMNS,
    REQUIRED_COLUMNS,
    OutcomeRow,
    RowError,
    RowProblem,
    agent_index,
    generic_row,
)
from bot.outcomes.store import BATCH, BatchResult, store_outcomes

FORMATS = ("zendesk", "freshdesk", "intercom", "csv")
# Freshdesk's answer values, worst to best (a 3- or 5-point survey uses some of them).
FRESHDESK_SCALE = (-103, -102, -101, 100, 101, 102, 103)
_NOT_RATED = {"offered", "unoffered"}


def _seconds(row: dict[str, str], column: str) -> str | None:
    """A duration in seconds, as minutes (text, for the generic check), or None."""
    raw = (row.get(column) or "").strip()
    if not raw:
        return None
    try:
        return str(float(raw) / 60)
    except ValueError:
        raise RowError(f"{column} {raw[:20]!r} is not a number of seconds") from None


def _hours_minutes(row: dict[str, str], column: str) -> str | None:
    """Freshdesk's hh:mm (or decimal hours) as minutes, or None."""
    raw = (row.get(column) or "").strip()
    if not raw:
        return None
    try:
        if ":" in raw:
            hours, minutes = raw.split(":", 1)
            if not minutes.isdigit() or int(minutes) >= 60:
                raise ValueError
            return str(int(hours) * 60 + int(minutes))
        return str(float(raw) * 60)
    except ValueError:
        raise RowError(f"{column} {raw[:20]!r} is not a duration such as 01:30") from None


class FormatError(ValueError):
    """The file as a whole cannot be read; the message says which columns or format."""


@dataclass(frozen=True)
class Format:
    """A help desk's export: the columns it needs and how a row becomes the generic shape."""

    name: str
    required: tuple[str, ...]
    # Generic field → this export's column, to name the export's own column in errors.
    renames: dict[str, str]
    convert: Callable[[dict[str, str]], dict[str, Any]]


def _zendesk(row: dict[str, str]) -> dict[str, Any]:
    score = row.get("score", "").strip().lower()
    if score in _NOT_RATED:
        raise RowError(f"score is {score!r}: the survey was {score}, the customer did not rate")
    kind = "thumbs" if score in ("good", "bad") else "csat"
    return {
        "when": row.get("created_at"),
        "agent": row.get("assignee_email"),
        "kind": kind,
        "score": score,
        # A name when the export has one; a bare requester id names nobody a reader knows.
        "customer": row.get("requester_name") or row.get("organization_name"),
        "comment": row.get("comment"),
        # A ticket has one satisfaction rating: keyed by ticket, a webhook row sent for the
        # same ticket (source "zendesk", external_id the ticket id) is the same outcome.
        "external_id": row.get("ticket_id") or row.get("id"),
        "handle_time": _seconds(row, "total_time_spent_sec"),
        "tickets": row.get("tickets"),
    }


def _freshdesk(row: dict[str, str]) -> dict[str, Any]:
    raw = (row.get("ratings.default_question") or row.get("rating") or "").strip()
    if not raw:
        raise RowError("ratings.default_question (the rating) is empty")
    try:
        position = FRESHDESK_SCALE.index(int(raw))
    except ValueError:
        raise RowError(
            f"ratings.default_question {raw[:10]} is not on Freshdesk's scale (−103 … 103)"
        ) from None
    return {
        "when": row.get("created_at"),
        "agent": row.get("agent_email"),
        "kind": "csat",
        # 1–5 spread evenly over Freshdesk's seven levels: 103 → 5, 100 → 3, −103 → 1.
        "score": 1 + 4 * position / (len(FRESHDESK_SCALE) - 1),
        "customer": row.get("user_name") or row.get("company_name"),
        "comment": row.get("feedback"),
        "external_id": row.get("id"),
        "handle_time": _hours_minutes(row, "time_tracked"),
        "tickets": row.get("tickets"),
    }


def _intercom(row: dict[str, str]) -> dict[str, Any]:
    return {
        "when": row.get("created_at"),
        "agent": row.get("teammate_email"),
        "kind": "csat",
        "score": row.get("rating"),
        "customer": row.get("customer_name") or row.get("company_name"),
        "comment": row.get("remark"),
        "external_id": row.get("conversation_id"),
        "handle_time": _seconds(row, "handling_time"),
        "tickets": row.get("tickets"),
    }


FORMAT_SPECS = {
    "zendesk": Format(
        "zendesk",
        ("id", "assignee_email", "score", "created_at"),
        {"when": "created_at", "agent": "assignee_email", "external_id": "id"},
        _zendesk,
    ),
    "freshdesk": Format(
        "freshdesk",
        ("id", "agent_email", "ratings.default_question", "created_at"),
        {"when": "created_at", "agent": "agent_email", "score": "ratings.default_question"},
        _freshdesk,
    ),
    "intercom": Format(
        "intercom",
        ("conversation_id", "teammate_email", "rating", "created_at"),
        {"when": "created_at", "agent": "teammate_email", "score": "rating"},
        _intercom,
    ),
    "csv": Format("csv", REQUIRED_COLUMNS, {}, dict),
}


def normalise_header(header: Sequence[str]) -> list[str]:
    """Lower-case, trimmed, spaces as underscores (``Assignee Email`` → ``assignee_email``)."""
    return [h.strip().lower().replace(" ", "_") for h in header]


def detect_format(header: Sequence[str]) -> str | None:
    """The format whose required columns the header has (most specific first), or None."""
    names = set(normalise_header(header))
    for name in FORMATS:
        if set(FORMAT_SPECS[name].required) <= names:
            return name
    return None


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:  # one column, or too little to tell: the usual comma
        return csv.excel


def _renamed(exc: RowError, spec: Format) -> str:
    message = str(exc)
    for generic, column in spec.renames.items():
        if message.startswith(generic + " ") and not message.startswith(column):
            return column + message[len(generic) :]
    return message


def read_outcomes(
    stream: TextIO, *, fmt: str | None
) -> tuple[str, Iterator[OutcomeRow | RowProblem]]:
    """The format read (given or recognised) and its rows, each checked or a RowProblem."""
    sample = stream.read(64 * 1024)
    stream.seek(0)
    reader = csv.reader(stream, _dialect(sample))
    header = normalise_header(next(reader, []))
    name = fmt or detect_format(header)
    if name is None:
        raise FormatError(
            "cannot tell the export's format from its columns; pass --format "
            f"({', '.join(FORMATS)}); the generic CSV has {', '.join(GENERIC_COLUMNS)}"
        )
    spec = FORMAT_SPECS[name]
    missing = [c for c in spec.required if c not in header]
    if missing:
        raise FormatError(f"the {name} format needs the column(s) {', '.join(missing)}")
    return name, _rows(reader, header, spec)


def _rows(reader: Any, header: list[str], spec: Format) -> Iterator[OutcomeRow | RowProblem]:
    width = len(header)
    failed_at = -1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a field beyond the csv module's size limit
            if reader.line_num == failed_at:  # no progress: the rest cannot be read
                raise FormatError(f"line {failed_at}: unreadable CSV ({exc})") from None
            failed_at = reader.line_num
            yield RowProblem(reader.line_num, f"unreadable CSV row: {exc}")
            continue
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != width:
            yield RowProblem(line, f"{len(cells)} fields where the header has {width}")
            continue
        try:
            values = dict(zip(header, cells, strict=True))
            yield generic_row(values if spec.convert is dict else spec.convert(values), line=line)
        except RowError as exc:
            yield RowProblem(line, _renamed(exc, spec))


@dataclass
class ImportReport:
    """The summary printed at the end of an import."""

    format: str
    imported: int = 0
    duplicates: int = 0
    unmatched: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    unmatched_agents: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """One line: imported, duplicates, unmatched, rejected."""
        return (
            f"{self.format}: {self.imported} imported, {self.duplicates} duplicates, "
            f"{self.unmatched} unmatched (kept; matched when a sync finds the agent), "
            f"{len(self.rejected)} rejected"
        )


def import_file(
    session: Session,
    *,
    workspace_id: int,
    path: Path,
    fmt: str | None,
    now: datetime,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import ``path`` into ``workspace_id``; ``dry_run`` rolls everything back.

    ``progress`` is told the bytes read so far, after each batch. The caller commits.
    """
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as stream:
        name, rows = read_outcomes(stream, fmt=fmt)
        report = ImportReport(format=name)
        index = agent_index(session, workspace_id=workspace_id)
        total = BatchResult()
        batch: list[OutcomeRow] = []

        def flush() -> None:
            total.add(
                store_outcomes(
                    session,
                    workspace_id=workspace_id,
                    source=name,
                    rows=batch,
                    index=index,
                    now=now,
                )
            )
            batch.clear()
            if progress is not None:
                progress(raw.tell())

        for item in rows:
            if isinstance(item, RowProblem):
                report.rejected.append(item)
                continue
            batch.append(item)
            if len(batch) >= BATCH * 5:
                flush()
        flush()
    if dry_run:
        session.rollback()
    report.imported, report.duplicates, report.unmatched = (
        total.imported,
        total.duplicates,
        total.unmatched,
    )
    report.unmatched_agents = total.unmatched_agents
    return report
