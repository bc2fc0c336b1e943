"""`POST /outcomes`: a help desk's webhook, checked before anything is parsed or stored.

It shares waitress's threads with Slack's requests, so it takes at most ``capacity``
of them at once and answers 503 (Retry-After) beyond that rather than queue: Slack
must be acknowledged within 3 s whatever a help desk is sending. Bodies are never logged.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from sqlalchemy import select

from bot.outcomes.signing import signature_problem, workspace_secret
from bot.outcomes.webhook import MAX_BODY_BYTES, PayloadError, accept_rows, parse_payload
from bot.runtime import Runtime
from bot.web.body import TOO_LARGE, BodyError, read_body
from models import Workspace

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
