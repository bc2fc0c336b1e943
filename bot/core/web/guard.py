"""What a request must look like before Bolt sees it, and how to keep Bolt's form parse right.

Slack always sends well-formed envelopes, so a signed request that is not one (a payload that
is not a JSON object, ``actions`` that is not a list, a slash command without a user) is
answered ``400`` here instead of surfacing as a 500 from deep inside Bolt or a listener.
Only the envelope is checked: the fields Bolt's routing and every listener rely on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

# Payload types sent to the interactivity Request URL; each names a user and a workspace.
INTERACTIVE_TYPES = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "message_action",
        "shortcut",
        "interactive_message",
        "dialog_submission",
        "dialog_cancellation",
        "workflow_step_edit",
    }
)
_STR = (str,)
_OBJ = (dict,)
_OBJ_OR_NONE = (dict, type(None))
_STR_OR_NONE = (str, type(None))
# Optional interactivity fields and the JSON types Slack sends them as.
_INTERACTIVE_FIELDS: dict[str, tuple[type, ...]] = {
    "team": _OBJ_OR_NONE,
    "enterprise": _OBJ_OR_NONE,
    "channel": _OBJ_OR_NONE,
    "container": _OBJ,
    "message": _OBJ,
    "view": _OBJ,
    "state": _OBJ,
    "actions": (list,),
    "callback_id": _STR,
    "trigger_id": _STR,
    "response_url": _STR,
    "response_urls": (list,),
    "api_app_id": _STR,
}
_ACTION_FIELDS: dict[str, tuple[type, ...]] = {
    "action_id": _STR,
    "block_id": _STR,
    "type": _STR,
    "value": _STR,
    "action_ts": _STR,
    "selected_option": _OBJ_OR_NONE,
    "selected_options": (list,),
}
_VIEW_FIELDS: dict[str, tuple[type, ...]] = {
    "id": _STR,
    "callback_id": _STR,
    "private_metadata": _STR,
    "state": _OBJ,
    "blocks": (list,),
    "hash": _STR,
    "type": _STR,
}
_EVENT_CALLBACK_FIELDS: dict[str, tuple[type, ...]] = {
    "team_id": _STR,
    "enterprise_id": _STR_OR_NONE,
    "event_id": _STR,
    "authorizations": (list,),
}


# Bolt takes any form body containing this text for an interactivity payload.
_PAYLOAD = "payload"


def bolt_safe_form(body: str, content_type: str | None) -> str | None:
    """``body`` re-encoded so Bolt parses it as ``parsed``, or None when it already does.

    Bolt (up to at least 1.30) answers a form body that contains the text "payload" but has
    no ``payload`` field (``/cx moment the payload API broke``) with ``{}``, a 404 that never
    reaches a listener. Percent-encoding one letter (``%70`` is "p") gives the same fields to
    any form parser, and Bolt's text check no longer matches.
    """
    is_json = content_type == "application/json" or body.startswith("{")
    if is_json or _PAYLOAD not in body or _has_payload_field(body):
        return None
    return body.replace(_PAYLOAD, "%70ayload")


def _has_payload_field(form: str) -> bool:
    return any(pair.partition("=")[0] == _PAYLOAD for pair in form.split("&"))


def envelope_problem(body: object) -> str | None:
    """Why ``body`` cannot be a Slack request, or None if Bolt may route it."""
    if not isinstance(body, dict):
        return "the body is not an object"
    if "command" in body:
        missing = [k for k in ("command", "user_id", "team_id") if not body.get(k)]
        return f"slash command without {', '.join(missing)}" if missing else None
    kind = body.get("type")
    if kind is None:
        # Slack's only untyped bodies are slash commands (above) and its SSL checks; anything
        # else would reach Bolt's context extraction with fields of arbitrary shape.
        return None if body.get("ssl_check") else "a body with no type"
    if not isinstance(kind, str):
        return "type is not a string"
    if kind in INTERACTIVE_TYPES:
        return _interactive_problem(body)
    if kind == "event_callback":
        return _fields_problem(body, _EVENT_CALLBACK_FIELDS, "") or _event_problem(body)
    if kind == "url_verification" and not isinstance(body.get("challenge"), str):
        return "url_verification without a challenge"
    return None


def _interactive_problem(body: Mapping[str, Any]) -> str | None:
    user = body.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        return "interactivity payload without a user id"
    problem = _fields_problem(body, _INTERACTIVE_FIELDS, "")
    if problem:
        return problem
    team = body.get("team")
    if isinstance(team, dict) and not isinstance(team.get("id"), str):
        return "team without an id"
    for action in body.get("actions") or []:
        if not isinstance(action, dict):
            return "an action is not an object"
        if not isinstance(action.get("action_id"), str):
            return "an action without an action_id"  # Slack names every action it sends
        problem = _fields_problem(action, _ACTION_FIELDS, "action.")
        if problem:
            return problem
    view = body.get("view")
    if view is not None:
        if not isinstance(view.get("type"), str):
            return "view without a type"
        problem = _fields_problem(view, _VIEW_FIELDS, "view.")
        values = view.get("state", {}).get("values", {})
        if problem is None and not isinstance(values, dict):
            problem = "view.state.values is not an object"
        return problem
    return None


def _event_problem(body: Mapping[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event_callback without an event type"
    user = event.get("user")
    if user is not None and not (
        isinstance(user, str) or (isinstance(user, dict) and isinstance(user.get("id"), str))
    ):
        return "event.user is neither an id nor a user object"
    for key in ("channel", "tab", "text", "ts"):
        if key in event and not isinstance(event[key], str | dict | type(None)):
            return f"event.{key} has the wrong type"
    return None


def _fields_problem(
    data: Mapping[str, Any], fields: Mapping[str, tuple[type, ...]], prefix: str
) -> str | None:
    for key, types in fields.items():
        if key in data and not isinstance(data[key], types):
            return f"{prefix}{key} has the wrong type"
    return None


def without_nul(body: str, content_type: str | None, parsed: object) -> str | None:
    """``body`` re-encoded without NUL characters in any field, or None when it has none.

    ``parsed`` is ``body`` as Bolt read it (``BoltRequest.body``).
    """
    if not has_nul(parsed):
        return None
    if content_type == "application/json" or body.startswith("{"):
        return json.dumps(_stripped(parsed))
    fields = [(_stripped(k), v) for k, v in parse_qsl(body, keep_blank_values=True)]
    return urlencode(
        [
            (k, json.dumps(_stripped(json.loads(v))) if k == _PAYLOAD else _stripped(v))
            for k, v in fields
        ]
    )


def has_nul(value: object) -> bool:
    """True when a NUL character is in any key or string of a JSON-like ``value``.

    Iterative: a body nested as deep as the JSON parser allows must not exhaust the stack.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _stripped(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_stripped(k): _stripped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stripped(v) for v in value]
    return value
