"""From a parsed request to Slack's answer: auth, faults, rate limits, spec checks, handler."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_emulator import methods  # noqa: F401  (importing registers every handler)
from slack_emulator.faults import Fault, FaultInjector, RateLimiter
from slack_emulator.recording import ApiCall, CallLog
from slack_emulator.registry import HANDLERS, TOKENLESS, Context, SlackError
from slack_emulator.spec import missing_required
from slack_emulator.state import SandboxState, Workspace

# Arguments Slack takes as JSON, which form-encoded callers send as JSON strings.
JSON_ARGS = {"blocks", "attachments", "view", "files", "metadata", "user_auth_blocks"}


@dataclass
class Outcome:
    """What the HTTP layer should send back."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    disconnect: bool = False
    cut: bool = False


def decode_json_args(args: dict[str, Any]) -> dict[str, Any]:
    """Parse JSON-valued arguments sent as strings, so recorded args are plain data."""
    decoded = dict(args)
    for name in JSON_ARGS & decoded.keys():
        value = decoded[name]
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            # Bad JSON stays a string: the handler then rejects it as Slack would.
            with contextlib.suppress(json.JSONDecodeError):
                decoded[name] = json.loads(value)
    return decoded


def _basic_auth(header: str) -> tuple[str, str] | None:
    """Return (client_id, client_secret) from an HTTP Basic Authorization header."""
    if not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password


class Dispatcher:
    """Answers Web API calls the way Slack does, and records each one."""

    def __init__(
        self,
        state: SandboxState,
        log: CallLog,
        *,
        app_id: str,
        client_id: str,
        client_secret: str,
        app_token: str = "",
    ) -> None:
        """Wire the shared state, call log and app identity."""
        self.state = state
        self.log = log
        self.limiter = RateLimiter()
        self.faults = FaultInjector()
        self.app_id = app_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.base_url = ""
        self.app_token = app_token
        self.socket_url: Callable[[], str] | None = None

    def call(self, method: str, raw_args: dict[str, Any], authorization: str) -> Outcome:
        """Answer one Web API call."""
        args = decode_json_args(raw_args)
        token = str(args.pop("token", "") or "")
        if authorization.startswith("Bearer "):
            token = authorization[7:].strip()
        workspace = self.state.workspace_for_token(token) if token else None
        team_id = workspace.team_id if workspace else None

        def answer(outcome: Outcome, error: str | None = None) -> Outcome:
            ok = bool(outcome.body.get("ok")) and error is None
            err = error or (None if ok else str(outcome.body.get("error")))
            self.log.record(ApiCall(method, args, team_id, ok, err))
            return outcome

        if method not in HANDLERS:
            return answer(_fail("unknown_method"))
        fault = self.faults.next_fault(method)
        if fault is not None and not (fault.done or fault.kind in ("timeout", "cut")):
            return answer(_fault_outcome(fault), _fault_error(fault))
        outcome = self._answer(method, args, token, workspace, authorization)
        if fault is not None and fault.kind not in ("timeout", "cut"):
            return answer(_fault_outcome(fault), _fault_error(fault))
        if fault is not None:
            # The work is done but the answer is lost: Slack may still have posted.
            if fault.kind == "cut":
                outcome.cut = True
            else:
                outcome.delay = fault.delay
            return answer(outcome, fault.kind)
        return answer(outcome)

    def _answer(
        self,
        method: str,
        args: dict[str, Any],
        token: str,
        workspace: Workspace | None,
        authorization: str,
    ) -> Outcome:
        """Check auth, rate limit and required args, then run the handler."""
        if method not in TOKENLESS:
            if not token:
                return _fail("not_authed")
            if token in self.state.revoked_tokens:
                return _fail("token_revoked")
            if workspace is None:
                return _fail("invalid_auth")
        retry_after = self.limiter.acquire(workspace.team_id if workspace else None, method)
        if retry_after is not None:
            return Outcome(
                429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
            )
        missing = missing_required(method, args)
        if missing:
            return _fail("invalid_arguments", response_metadata={"messages": missing})
        ctx = Context(
            state=self.state,
            workspace=workspace,
            base_url=self.base_url,
            app_id=self.app_id,
            client_id=self.client_id,
            client_secret=self.client_secret,
            basic_auth=_basic_auth(authorization),
            token=token,
            app_token=self.app_token,
            socket_url=self.socket_url,
        )
        try:
            with self.state.lock:
                body = HANDLERS[method](ctx, args)
        except SlackError as exc:
            return _fail(exc.error, **exc.extra)
        return Outcome(200, {"ok": True, **body})


def _fail(error: str, **extra: Any) -> Outcome:
    """Return Slack's error envelope (HTTP 200, as Slack answers API errors)."""
    return Outcome(200, {"ok": False, "error": error, **extra})


def _fault_error(fault: Fault) -> str:
    """Return the error name an injected fault is recorded with."""
    return fault.error if fault.kind == "error" else fault.kind


def _fault_outcome(fault: Fault) -> Outcome:
    """Return the answer for an injected fault (other than a timeout)."""
    if fault.kind == "ratelimited":
        headers = {"Retry-After": str(max(1, fault.retry_after))}
        return Outcome(429, {"ok": False, "error": "ratelimited"}, headers)
    if fault.kind == "server_error":
        return Outcome(fault.status, {"ok": False, "error": fault.error})
    if fault.kind == "disconnect":
        return Outcome(0, {}, disconnect=True)
    return _fail(fault.error)
