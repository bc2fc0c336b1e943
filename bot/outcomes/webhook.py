"""Rows pushed by a help desk's webhook: JSON, one object or a list, in the generic shape."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.outcomes.matching import agent_index
from bot.outcomes.rows import OutcomeRow, RowError, RowProblem, generic_row
from bot.outcomes.store import BatchResult, store_outcomes
from bot.web.guard import has_nul

MAX_BODY_BYTES = 1024 * 1024
DEFAULT_SOURCE = "webhook"
# A row may say which help desk it is from, so a later export of that desk dedupes with it.
_SOURCE = re.compile(r"^[a-z0-9_-]{1,32}$")


class PayloadError(ValueError):
    """The body as a whole is not what the endpoint takes."""


@dataclass(frozen=True)
class WebhookResult:
    """What was stored and which rows (1-based positions) were rejected, and why."""

    stored: BatchResult
    problems: list[RowProblem]


def parse_payload(body: bytes) -> list[Any]:
    """The rows of a JSON body: an object is one row, a list is many."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"the body is not UTF-8 JSON ({type(exc).__name__})") from None
    except RecursionError:
        raise PayloadError("the body is nested too deeply to be outcome rows") from None
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list) and data:
        return data
    raise PayloadError("send one outcome as a JSON object, or a non-empty list of them")


def _checked(item: Any, position: int) -> tuple[str, OutcomeRow]:
    if not isinstance(item, dict):
        raise RowError("must be a JSON object with when, agent, kind, score, external_id")
    if has_nul(item):
        # PostgreSQL cannot store it, and no help desk means it: refused, never guessed at.
        raise RowError("contains a NUL character (\\u0000); remove it and send the row again")
    if not str(item.get("external_id") or "").strip():
        raise RowError("external_id is empty (it makes a repeated delivery harmless)")
    source = str(item.get("source") or DEFAULT_SOURCE).strip().lower()
    if not _SOURCE.match(source):
        raise RowError("source must be 1–32 letters, digits, - or _")
    return source, generic_row(item, line=position)


def accept_rows(
    session: Session, *, workspace_id: int, items: Sequence[Any], now: datetime
) -> WebhookResult:
    """Store every good row (idempotent by source and external id); list the bad ones."""
    problems: list[RowProblem] = []
    by_source: dict[str, list[OutcomeRow]] = {}
    for position, item in enumerate(items, start=1):
        try:
            source, row = _checked(item, position)
        except RowError as exc:
            problems.append(RowProblem(position, str(exc)))
            continue
        by_source.setdefault(source, []).append(row)
    stored = BatchResult()
    if by_source:
        index = agent_index(session, workspace_id=workspace_id)
        for source, rows in by_source.items():
            stored.add(
                store_outcomes(
                    session,
                    workspace_id=workspace_id,
                    source=source,
                    rows=rows,
                    index=index,
                    now=now,
                )
            )
    return WebhookResult(stored, problems)
