"""Customer outcomes stored and read back: checked rows in (idempotent by source and
external id, matched to people), a week's best and worst comments and the analysts'
export out (never beside the agent rated; agents only by Slack id).

Many rows go in at once, skipping rows already there. On SQLite the rows go straight to
the driver's ``executemany`` with SQLAlchemy's own compiled statement and column bind
processors (so they are stored exactly as the ORM stores them): SQLAlchemy's per-row
parameter handling otherwise cost as much as SQLite's own insert work. Other backends
take SQLAlchemy Core's executemany.

Comments are the customer's words: the views that show them escape them and take out
e-mail addresses and phone numbers (``bot.core.redact``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.weeks import week_start
from bot.outcomes.rows import AgentIndex, OutcomeRow
from models import CustomerOutcome
from models.upsert import dialect_insert

# Rows per id lookup (an IN list well inside SQLite's bound-parameter limit) and INSERT.
BATCH = 2000


@dataclass
class BatchResult:
    """What storing some rows did."""

    imported: int = 0
    duplicates: int = 0
    unmatched: int = 0
    # New rows per agent reference nobody in the workspace has (yet).
    unmatched_agents: Counter[str] = field(default_factory=Counter)

    def add(self, other: BatchResult) -> None:
        """Add ``other``'s counts to these."""
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.unmatched += other.unmatched
        self.unmatched_agents.update(other.unmatched_agents)


def _values(
    row: OutcomeRow, workspace_id: int, source: str, index: AgentIndex, now: datetime
) -> dict[str, Any]:
    person = index.match(row.agent)
    return {
        "workspace_id": workspace_id,
        "source": source,
        "external_id": row.external_id,
        "happened_at": row.happened_at,
        "happened_on": row.happened_on,
        "week_start": week_start(row.happened_on),
        "kind": row.kind,
        "score": row.score,
        "scaled": row.scaled,
        "agent_ref": row.agent,
        "person_id": person,
        "team_id": None if person is None else index.team_on(person, row.happened_on),
        "customer": row.customer,
        "comment": row.comment,
        "created_at": now,
        "handle_minutes": row.handle_minutes,
        "agent_day_tickets": row.agent_day_tickets,
    }


def store_outcomes(
    session: Session,
    *,
    workspace_id: int,
    source: str,
    rows: Sequence[OutcomeRow],
    index: AgentIndex,
    now: datetime,
) -> BatchResult:
    """Insert ``rows``; one already stored (same source and external id) is a duplicate.

    The ids already stored are looked up per page, so the new rows go in with one plain
    executemany (no RETURNING, which costs SQLite a statement per thousand rows). The
    INSERT still skips conflicts, so a row someone stored meanwhile is not an error.
    """
    result = BatchResult()
    o = CustomerOutcome
    for start in range(0, len(rows), BATCH):
        page = rows[start : start + BATCH]
        unique: dict[str, OutcomeRow] = {}
        for row in page:
            unique.setdefault(row.external_id, row)
        stored = set(
            session.scalars(
                select(o.external_id).where(
                    o.workspace_id == workspace_id,
                    o.source == source,
                    o.external_id.in_(list(unique)),
                )
            )
        )
        fresh = [r for key, r in unique.items() if key not in stored]
        people = {p for r in fresh if (p := index.match(r.agent)) is not None}
        index.load_history(session, people)
        values = [_values(r, workspace_id, source, index, now) for r in fresh]
        insert_outcomes(session, values)
        result.imported += len(values)
        result.duplicates += len(page) - len(values)
        for v in values:
            if v["person_id"] is None:
                result.unmatched += 1
                result.unmatched_agents[v["agent_ref"]] += 1
    return result


def purge_customer_text(session: Session, *, workspace_id: int, cutoff: date) -> int:
    """Clear customers' names and comments on outcomes from before ``cutoff``; keep the scores."""
    result = session.execute(
        update(CustomerOutcome)
        .where(
            CustomerOutcome.workspace_id == workspace_id,
            CustomerOutcome.happened_on < cutoff,
            (CustomerOutcome.comment.is_not(None)) | (CustomerOutcome.customer.is_not(None)),
        )
        .values(comment=None, customer=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


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


QUOTE_CHARS = 300


@dataclass(frozen=True)
class CustomerQuote:
    """One customer's comment and rating (no agent), as the customer or help desk wrote it."""

    customer: str | None
    comment: str
    kind: str
    score: float


def rating_label(kind: str, score: float) -> str:
    """A rating as people read it: 4/5, 9/10, thumbs up/down."""
    if kind == "thumbs":
        return "thumbs up" if score >= 1 else "thumbs down"
    return f"{score:g}/{5 if kind == 'csat' else 10}"


def customer_quotes(
    session: Session, *, workspace_id: int, week: date, team_id: int | None
) -> list[CustomerQuote]:
    """The week's best- and worst-rated comments (at most one each)."""
    o = CustomerOutcome
    stmt = select(o.customer, o.comment, o.kind, o.score).where(
        o.workspace_id == workspace_id, o.week_start == week, o.comment.is_not(None)
    )
    if team_id is not None:
        stmt = stmt.where(o.team_id == team_id)
    quotes: list[CustomerQuote] = []
    for order in ((o.scaled.desc(), o.id), (o.scaled, o.id)):
        row = session.execute(stmt.order_by(*order).limit(1)).first()
        if row is None:
            break
        customer, comment, kind, score = row
        quote = CustomerQuote(
            customer or None,
            (comment or "")[:QUOTE_CHARS],
            kind,
            float(score),
        )
        if quote not in quotes:
            quotes.append(quote)
    return quotes
