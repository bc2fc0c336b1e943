"""Surfaces: modals (views.open, views.push, views.update) and App Home (views.publish)."""

from __future__ import annotations

import secrets
import time
from typing import Any

from slack_emulator.blocks import VIEW_BLOCK_LIMIT, fill_ids, validate_blocks
from slack_emulator.copying import plain_copy
from slack_emulator.file_refs import slack_file_checker
from slack_emulator.registry import Context, SlackError, handler, user_or_fail
from slack_emulator.state import Trigger

# Slack trigger ids are good for three seconds and one use.
TRIGGER_TTL_SECONDS = 3.0
_MAX_STACK = 3
_TITLE_LIMIT = 24


def _invalid(messages: list[str]) -> SlackError:
    """Return Slack's invalid_arguments error with its explanation."""
    return SlackError("invalid_arguments", response_metadata={"messages": messages})


def _check_view(ctx: Context, raw: Any, kind: str) -> dict[str, Any]:
    """Return the view payload if Slack would accept it as a `kind` view."""
    if not isinstance(raw, dict):
        raise _invalid(["[ERROR] failed to match all allowed schemas [json-pointer:/view]"])
    errors: list[str] = []
    if raw.get("type") != kind:
        errors.append(f"[ERROR] must be '{kind}' [json-pointer:/view/type]")
    if kind == "modal":
        title = raw.get("title")
        if not isinstance(title, dict) or not title.get("text"):
            errors.append("[ERROR] missing required field: title [json-pointer:/view]")
        elif len(str(title["text"])) > _TITLE_LIMIT:
            errors.append(
                f"[ERROR] must be less than {_TITLE_LIMIT + 1} characters "
                "[json-pointer:/view/title/text]"
            )
        has_input = any(
            b.get("type") == "input" for b in raw.get("blocks") or [] if isinstance(b, dict)
        )
        if has_input and not raw.get("submit"):
            errors.append(
                "[ERROR] must provide submit if there are input blocks [json-pointer:/view]"
            )
    errors += validate_blocks(
        raw.get("blocks"), VIEW_BLOCK_LIMIT, check_file=slack_file_checker(ctx)
    )
    if errors:
        raise _invalid(errors)
    return raw


def _new_hash() -> str:
    return f"{int(time.time())}.{secrets.token_hex(4)}"


def _render(ctx: Context, raw: dict[str, Any], view_id: str, **links: Any) -> dict[str, Any]:
    """Return the view object Slack answers with (and the interaction payloads carry)."""
    ws = ctx.ws
    view: dict[str, Any] = {
        "id": view_id,
        "team_id": ws.team_id,
        "type": raw["type"],
        "blocks": fill_ids(plain_copy(raw.get("blocks") or [])),
        "private_metadata": raw.get("private_metadata", ""),
        "callback_id": raw.get("callback_id", ""),
        "state": {"values": {}},
        "hash": _new_hash(),
        "title": raw.get("title"),
        "clear_on_close": bool(raw.get("clear_on_close", False)),
        "notify_on_close": bool(raw.get("notify_on_close", False)),
        "close": raw.get("close"),
        "submit": raw.get("submit"),
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": ctx.app_id,
        "external_id": raw.get("external_id", ""),
        "app_installed_team_id": ws.team_id,
        "bot_id": ws.bot_id,
    }
    view.update(links)
    return view


def _take_trigger(ctx: Context, trigger_id: str) -> Trigger:
    """Consume a trigger id issued by the client actor, or answer why it is unusable."""
    trigger = ctx.state.triggers.get(trigger_id)
    if trigger is None or trigger.team_id != ctx.ws.team_id:
        raise SlackError("invalid_trigger_id")
    if trigger.used:
        raise SlackError("exchanged_trigger_id")
    if time.time() - trigger.issued_at > TRIGGER_TTL_SECONDS:
        raise SlackError("expired_trigger_id")
    trigger.used = True
    return trigger


def _check_external_id(ctx: Context, raw: dict[str, Any], keep: str | None = None) -> None:
    """Refuse an external_id another open view of this workspace already uses."""
    external_id = raw.get("external_id")
    for view_id, view in ctx.state.views.items():
        same_team = view["team_id"] == ctx.ws.team_id
        if external_id and same_team and view_id != keep and view["external_id"] == external_id:
            raise SlackError("duplicate_external_id")


def _store(ctx: Context, view: dict[str, Any], user_id: str) -> dict[str, Any]:
    """Remember an open modal and return a copy for the answer."""
    ctx.state.views[view["id"]] = view
    ctx.state.view_owner[view["id"]] = (ctx.ws.team_id, user_id)
    return {"view": plain_copy(view)}


@handler("views.open")
def views_open(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Open a modal for the user whose interaction issued `trigger_id`."""
    raw = _check_view(ctx, args["view"], "modal")
    trigger = _take_trigger(ctx, str(args["trigger_id"]))
    _check_external_id(ctx, raw)
    return _store(ctx, _render(ctx, raw, ctx.state.new_id("V")), trigger.user_id)


@handler("views.push")
def views_push(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Push a modal on top of the one the interaction came from."""
    raw = _check_view(ctx, args["view"], "modal")
    trigger = _take_trigger(ctx, str(args["trigger_id"]))
    _check_external_id(ctx, raw)
    below = ctx.state.views.get(trigger.view_id or "")
    view_id = ctx.state.new_id("V")
    if below is None:
        return _store(ctx, _render(ctx, raw, view_id), trigger.user_id)
    depth = sum(1 for v in ctx.state.views.values() if v["root_view_id"] == below["root_view_id"])
    if depth >= _MAX_STACK:
        raise SlackError("push_limit_reached")
    view = _render(
        ctx, raw, view_id, previous_view_id=below["id"], root_view_id=below["root_view_id"]
    )
    return _store(ctx, view, trigger.user_id)


@handler("views.update")
def views_update(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Replace an open modal's content, found by view_id or external_id."""
    if not args.get("view_id") and not args.get("external_id"):
        raise _invalid(["[ERROR] either view_id or external_id is required"])
    raw = _check_view(ctx, args.get("view"), "modal")
    current = None
    if args.get("view_id"):
        current = ctx.state.views.get(str(args["view_id"]))
    else:
        current = next(
            (
                v
                for v in ctx.state.views.values()
                if v["team_id"] == ctx.ws.team_id and v["external_id"] == args["external_id"]
            ),
            None,
        )
    if current is None or current["team_id"] != ctx.ws.team_id:
        raise SlackError("not_found")
    if args.get("hash") and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")
    _check_external_id(ctx, raw, keep=current["id"])
    view = _render(
        ctx,
        raw,
        current["id"],
        previous_view_id=current["previous_view_id"],
        root_view_id=current["root_view_id"],
    )
    ctx.state.views[view["id"]] = view
    return {"view": plain_copy(view)}


@handler("views.publish")
def views_publish(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Publish a user's App Home view."""
    ws = ctx.ws
    user = user_or_fail(ws, args["user_id"])
    raw = _check_view(ctx, args["view"], "home")
    current = ws.home_views.get(user.id)
    if current is not None and args.get("hash") and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")
    view_id = current["id"] if current is not None else ctx.state.new_id("V")
    view = _render(ctx, raw, view_id)
    ws.home_views[user.id] = view
    return {"view": plain_copy(view)}
