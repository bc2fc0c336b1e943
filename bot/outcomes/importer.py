"""`cxpulse import outcomes`: a help-desk export read, checked, matched and stored in batches."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bot.outcomes.formats import read_outcomes
from bot.outcomes.matching import agent_index
from bot.outcomes.rows import OutcomeRow, RowProblem
from bot.outcomes.store import BATCH, BatchResult, store_outcomes


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
