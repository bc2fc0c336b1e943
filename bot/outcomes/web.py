"""`POST /outcomes`: a help desk's webhook (JSON, one object or a list, in the generic
shape), checked before anything is parsed or stored.

It shares waitress's threads with Slack's requests, so it takes at most ``capacity``
of them at once and answers 503 (Retry-After) beyond that rather than queue: Slack
must be acknowledged within 3 s whatever a help desk is sending. Bodies are never logged.

Requests are signed the way Slack signs its requests, with a per-workspace secret:
``X-CXPulse-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">`` under the
secret, ``X-CXPulse-Timestamp`` in Unix seconds, refused when more than five minutes
from now. A workspace's secret is derived from ``CXPULSE_SECRET`` and a random nonce
kept in ``outcomes_secret``, so the database alone cannot sign; rotating replaces the
nonce. ``CXPULSE_OUTCOMES_SECRET`` signs for a single-workspace install.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.web import signatures
from bot.core.web.body import TOO_LARGE, BodyError, read_body
from bot.core.web.guard import has_nul
from bot.outcomes.rows import OutcomeRow, RowError, RowProblem, agent_index, generic_row
from bot.outcomes.store import BatchResult, store_outcomes
from bot.runtime import Runtime
from models import OutcomesSecret, Workspace
from models.upsert import upsert

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


logger = logging.getLogger(__name__)

OUTCOMES_PATH = "/outcomes"
# A megabyte of bad rows would otherwise make a reply of tens of megabytes.
LISTED_PROBLEMS = 100


def _answer(
    start_response: StartResponse, status: str, body: dict[str, Any], *extra: tuple[str, str]
) -> list[bytes]:
    data = json.dumps(body).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    start_response(status, [*headers, *extra])
    return [data]


class OutcomesEndpoint:
    """The WSGI side of the webhook: slots, size, signature, then the service."""

    def __init__(self, runtime: Runtime, *, capacity: int = 2) -> None:
        """Serve outcomes for ``runtime``'s database, at most ``capacity`` at a time."""
        self.runtime = runtime
        self.capacity = capacity
        self.slots = threading.BoundedSemaphore(capacity)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not self.slots.acquire(blocking=False):
            body = {"ok": False, "error": "busy; retry in a few seconds"}
            return _answer(start_response, "503 Service Unavailable", body, ("Retry-After", "5"))
        try:
            return self._handle(environ, start_response)
        finally:
            self.slots.release()

    def _handle(self, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        timestamp = environ.get("HTTP_X_CXPULSE_TIMESTAMP")
        signature = environ.get("HTTP_X_CXPULSE_SIGNATURE")
        if not timestamp or not signature:
            return self._refuse(start_response, "unsigned: send X-CXPulse-Timestamp and -Signature")
        try:
            raw = read_body(environ, MAX_BODY_BYTES)
        except BodyError as exc:
            error = str(exc)
            if exc.status == TOO_LARGE:
                error = "the body is over 1 MB; send fewer rows per request"
            return _answer(start_response, exc.status, {"ok": False, "error": error})
        wanted = parse_qs(str(environ.get("QUERY_STRING") or "")).get("workspace", [None])[0]
        now = self.runtime.now()
        with self.runtime.transaction() as session:
            workspace_id, problem = self._workspace(session, wanted)
            if workspace_id is not None:
                problem = signature_problem(
                    secrets_in_force=self._secrets(session, workspace_id),
                    timestamp=str(timestamp),
                    signature=str(signature),
                    body=raw,
                    now=now,
                )
        if problem is not None or workspace_id is None:
            return self._refuse(start_response, problem or "unknown workspace")
        try:
            items = parse_payload(raw)
        except PayloadError as exc:
            return _answer(start_response, "400 Bad Request", {"ok": False, "error": str(exc)})
        with self.runtime.transaction() as session:
            result = accept_rows(session, workspace_id=workspace_id, items=items, now=now)
        counts = {
            "imported": result.stored.imported,
            "duplicates": result.stored.duplicates,
            "unmatched": result.stored.unmatched,
        }
        logger.info("outcomes webhook: %s, %d rejected", counts, len(result.problems))
        metrics = self.runtime.metrics
        metrics.outcomes_imported.labels("webhook").inc(result.stored.imported)
        metrics.outcomes_rejected.labels("webhook").inc(len(result.problems))
        if not result.problems:
            return _answer(start_response, "200 OK", {"ok": True, **counts})
        problems = [{"row": p.line, "reason": p.reason} for p in result.problems]
        error = f"{len(problems)} of {len(items)} rows rejected; the others were kept"
        if len(problems) > LISTED_PROBLEMS:
            error += f" (the first {LISTED_PROBLEMS} are listed)"
        listed = problems[:LISTED_PROBLEMS]
        body = {"ok": False, "error": error, "problems": listed, **counts}
        return _answer(start_response, "400 Bad Request", body)

    def _workspace(self, session: Any, wanted: str | None) -> tuple[int | None, str | None]:
        # An uninstalled workspace takes no more data.
        found = select(Workspace.id, Workspace.slack_team_id).where(Workspace.active.is_(True))
        rows = list(session.execute(found))
        if wanted is not None:
            match = [wid for wid, team in rows if team == wanted]
            return (match[0], None) if match else (None, "unknown workspace")
        if len(rows) == 1:
            return rows[0][0], None
        if not rows:
            return None, "no workspace yet: install the app and run sync-users first"
        return None, "several workspaces: add ?workspace=<Slack team id> to the URL"

    def _secrets(self, session: Any, workspace_id: int) -> list[str]:
        settings = self.runtime.settings
        found = [workspace_secret(session, workspace_id=workspace_id, key=settings.cxpulse_secret)]
        if settings.outcomes_secret and not settings.oauth_enabled:
            found.append(settings.outcomes_secret)
        return [s for s in found if s]

    def _refuse(self, start_response: StartResponse, why: str) -> list[bytes]:
        logger.warning("outcomes webhook refused: %s", why)
        return _answer(start_response, "401 Unauthorized", {"ok": False, "error": why})


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


TIMESTAMP_HEADER = "X-CXPulse-Timestamp"
SIGNATURE_HEADER = "X-CXPulse-Signature"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The ``v0=`` signature of ``body`` sent at ``timestamp`` (Unix seconds, as text)."""
    return signatures.sign(secret, timestamp, body)


def signature_problem(
    *,
    secrets_in_force: Iterable[str],
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: datetime,
) -> str | None:
    """None when a secret in force signed ``body`` at a fresh timestamp; else why not."""
    verifiers = [SignatureVerifier(s, clock=signatures.FixedClock(now)) for s in secrets_in_force]
    return signatures.unsigned_reason(
        verifiers,
        body=body,
        timestamp=timestamp,
        signature=signature,
        header_names=(TIMESTAMP_HEADER, SIGNATURE_HEADER),
    )


def derive_secret(key: str, workspace_id: int, nonce: str) -> str:
    """The webhook secret for a workspace's current nonce."""
    message = f"outcomes:{workspace_id}:{nonce}".encode()
    return "cxo_" + hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def rotate_secret(
    session: Session, *, workspace_id: int, key: str, user_id: str, now: datetime
) -> str:
    """A new secret for the workspace (the old one stops working); shown once, never stored."""
    if not key:
        raise ValueError("CXPULSE_SECRET is needed to make an outcomes secret")
    nonce = secrets.token_hex(16)
    stmt = upsert(
        session,
        OutcomesSecret,
        keys=("workspace_id",),
        updates=("nonce", "created_by", "created_at"),
    )
    values = {
        "workspace_id": workspace_id,
        "nonce": nonce,
        "created_by": user_id,
        "created_at": now,
    }
    session.execute(stmt, values)
    return derive_secret(key, workspace_id, nonce)


def workspace_secret(session: Session, *, workspace_id: int, key: str | None) -> str | None:
    """The workspace's current secret, or None when an admin has not made one."""
    nonce = session.scalar(
        select(OutcomesSecret.nonce).where(OutcomesSecret.workspace_id == workspace_id)
    )
    if nonce is None or not key:
        return None
    return derive_secret(key, workspace_id, nonce)


def secret_made_at(session: Session, *, workspace_id: int) -> datetime | None:
    """When the workspace's current secret was made, or None before an admin made one."""
    found = select(OutcomesSecret.created_at).where(OutcomesSecret.workspace_id == workspace_id)
    return session.scalar(found)
