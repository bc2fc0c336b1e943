"""Pure helpers for the client actor: find clickable elements, fill in view state."""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from slack_emulator.blocks import elements_of
from slack_emulator.state import Workspace

# The state key each input element type reports, and the matching initial_* field.
STATE_KEYS: dict[str, tuple[str, str]] = {
    "plain_text_input": ("value", "initial_value"),
    "number_input": ("value", "initial_value"),
    "email_text_input": ("value", "initial_value"),
    "url_text_input": ("value", "initial_value"),
    "static_select": ("selected_option", "initial_option"),
    "external_select": ("selected_option", "initial_option"),
    "radio_buttons": ("selected_option", "initial_option"),
    "multi_static_select": ("selected_options", "initial_options"),
    "multi_external_select": ("selected_options", "initial_options"),
    "checkboxes": ("selected_options", "initial_options"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "datetimepicker": ("selected_date_time", "initial_date_time"),
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "channels_select": ("selected_channel", "initial_channel"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
    "rich_text_input": ("rich_text_value", "initial_value"),
}
_MULTI = {
    k for k, (key, _) in STATE_KEYS.items() if key.endswith("s") and key != "selected_options"
}
_OPTION_TYPES = {"static_select", "radio_buttons", "overflow", "multi_static_select", "checkboxes"}


def options_of(element: dict[str, Any]) -> list[dict[str, Any]]:
    """Return an element's options, flattening option groups."""
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


def _label(element: dict[str, Any]) -> str:
    """Describe an element for assertion messages."""
    text = element.get("text", {}).get("text") if isinstance(element.get("text"), dict) else None
    values = [o.get("value") for o in options_of(element)] or element.get("value")
    kind, action_id = element.get("type"), element.get("action_id")
    return f"{kind} action_id={action_id!r} text={text!r} value={values!r}"


def find_element(
    blocks: list[dict[str, Any]],
    *,
    action_id: str | None,
    value: str | None,
    text: str | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (block, element) for the element matching every given filter."""
    present: list[str] = []
    for block in blocks:
        for element in elements_of(block):
            present.append(f"  block {block.get('block_id')!r}: {_label(element)}")
            if action_id is not None and element.get("action_id") != action_id:
                continue
            label = element.get("text")
            if text is not None and not (isinstance(label, dict) and label.get("text") == text):
                continue
            if value is not None and element.get("type") in _OPTION_TYPES:
                if not any(o.get("value") == value for o in options_of(element)):
                    continue
            elif (
                value is not None
                and element.get("type") == "button"
                and element.get("value") != value
            ):
                continue
            return block, element
    wanted = f"action_id={action_id!r} value={value!r} text={text!r}"
    listing = "\n".join(present) or "  (no interactive elements)"
    raise AssertionError(f"no element with {wanted}; the app posted:\n{listing}")


def action_payload(
    block: dict[str, Any], element: dict[str, Any], value: str | None
) -> dict[str, Any]:
    """Return the `actions[0]` Slack sends for a click on (or choice in) `element`."""
    kind = str(element.get("type"))
    action: dict[str, Any] = {
        "type": kind,
        "action_id": element.get("action_id"),
        # Slack gives every block an id, also in blocks returned straight from an ack.
        "block_id": block.get("block_id") or _stable_block_id(block),
        "action_ts": f"{time.time():.6f}",
    }
    if kind == "button":
        action["text"] = element.get("text")
        if element.get("value") is not None:  # Slack leaves `value` out when a button has none
            action["value"] = element["value"]
        if element.get("style"):
            action["style"] = element["style"]
    elif kind in ("static_select", "radio_buttons", "overflow", "external_select"):
        action["selected_option"] = _option(element, value)
    elif kind in ("checkboxes", "multi_static_select"):
        action["selected_options"] = [_option(element, value)]
    elif kind in STATE_KEYS:
        action[STATE_KEYS[kind][0]] = [value] if kind in _MULTI else value
    return action


def _stable_block_id(block: dict[str, Any]) -> str:
    """The id Slack would assign to a block posted without one (stable per content)."""
    digest = hashlib.sha1(json.dumps(block, sort_keys=True).encode(), usedforsecurity=False)
    return digest.hexdigest()[:5]


def _option(element: dict[str, Any], value: Any) -> dict[str, Any]:
    """Return the option whose value is `value` (external selects accept any value)."""
    if element.get("type") in ("external_select", "multi_external_select"):
        return {"text": {"type": "plain_text", "text": str(value)}, "value": str(value)}
    for option in options_of(element):
        if option.get("value") == value:
            return dict(option)
    choices = [o.get("value") for o in options_of(element)]
    raise AssertionError(f"{value!r} is not an option of {element.get('action_id')!r}: {choices}")


def _state_entry(element: dict[str, Any], given: Any, supplied: bool) -> dict[str, Any]:
    """Return one `state.values[block][action]` entry as Slack builds it."""
    kind = str(element.get("type"))
    key, initial = STATE_KEYS.get(kind, ("value", "initial_value"))
    if not supplied:
        # Untouched fields report their initial value, or nothing.
        fallback: Any = [] if key.endswith("s") and key != "selected_date_time" else None
        return {"type": kind, key: element.get(initial, fallback)}
    if key == "selected_option":
        return {"type": kind, key: None if given is None else _option(element, given)}
    if key == "selected_options":
        values = given if isinstance(given, list) else [given]
        return {"type": kind, key: [_option(element, v) for v in values]}
    if key == "rich_text_value" and isinstance(given, str):
        section = {"type": "rich_text_section", "elements": [{"type": "text", "text": given}]}
        return {"type": kind, key: {"type": "rich_text", "elements": [section]}}
    if kind in _MULTI and not isinstance(given, list):
        given = [given]
    if kind == "number_input" and given is not None:
        given = str(given)
    return {"type": kind, key: given}


def _check_length(block_id: str, element: dict[str, Any], value: Any) -> None:
    """Refuse text Slack's client would not submit (min/max length)."""
    if element.get("type") != "plain_text_input" or not isinstance(value, str):
        return
    if "max_length" in element and len(value) > int(element["max_length"]):
        raise AssertionError(f"{block_id}: longer than max_length {element['max_length']}")
    if "min_length" in element and len(value) < int(element["min_length"]):
        raise AssertionError(f"{block_id}: shorter than min_length {element['min_length']}")


def view_state(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Build `view.state.values` for a submission of `view` with the caller's `values`."""
    blocks = {b.get("block_id"): b for b in view.get("blocks") or []}
    unknown = sorted(set(values) - set(blocks))
    if unknown:
        raise AssertionError(f"block_id(s) {unknown} not in the view; it has {sorted(blocks)}")
    state: dict[str, Any] = {}
    for block_id, block in blocks.items():
        elements = [e for e in elements_of(block) if e.get("type") in STATE_KEYS]
        if not elements or (block.get("type") != "input" and block_id not in values):
            continue
        given = values.get(block_id)
        action_ids = {e.get("action_id") for e in elements}
        per_action = isinstance(given, dict) and set(given) <= action_ids
        entries: dict[str, Any] = {}
        for element in elements:
            action_id = str(element.get("action_id"))
            if per_action and isinstance(given, dict):
                supplied, value = action_id in given, given.get(action_id)
            else:
                supplied, value = block_id in values, given
            required = block.get("type") == "input" and not block.get("optional")
            initial = element.get(STATE_KEYS[str(element.get("type"))][1])
            if required and not supplied and initial in (None, "", []):
                raise AssertionError(
                    f"required input {block_id!r} left empty: Slack would not submit"
                )
            _check_length(str(block_id), element, value)
            entries[action_id] = _state_entry(element, value, supplied)
        state[str(block_id)] = entries
    return state


def event_envelope(
    ws: Workspace, event: dict[str, Any], *, token: str, app_id: str, event_id: str
) -> dict[str, Any]:
    """Wrap an event in the Events API `event_callback` envelope Slack posts."""
    now = time.time()
    envelope: dict[str, Any] = {
        "token": token,
        "team_id": ws.team_id,
        "api_app_id": app_id,
        "event": {"event_ts": f"{now:.6f}", **event},
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(now),
        "authorizations": [
            {
                "enterprise_id": ws.enterprise_id,
                "team_id": ws.team_id,
                "user_id": ws.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": ws.is_enterprise_install,
            }
        ],
        # Deprecated by Slack but still required by its published wrapper schema.
        "authed_users": [ws.bot_user_id],
        "is_ext_shared_channel": False,
    }
    if ws.enterprise_id:
        envelope["enterprise_id"] = ws.enterprise_id
    return envelope
