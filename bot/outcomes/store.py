"""Storing checked outcome rows: idempotent by (source, external id), matched to people."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.weeks import week_start
from bot.outcomes.bulk import insert_outcomes
from bot.outcomes.matching import AgentIndex
from bot.outcomes.rows import OutcomeRow
from models import CustomerOutcome

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
