"""Conversation and message methods: conversations.*, chat.*, reactions.add."""

from __future__ import annotations

from typing import Any

from slack_emulator.blocks import MESSAGE_BLOCK_LIMIT, fill_ids, validate_blocks
from slack_emulator.copying import plain_copy
from slack_emulator.file_refs import slack_file_checker
from slack_emulator.registry import (
    Context,
    SlackError,
    channel_or_fail,
    decode_cursor,
    encode_cursor,
    handler,
    int_arg,
    open_dm,
    truthy,
    user_or_fail,
)
from slack_emulator.state import Channel

_TEXT_LIMIT = 40_000


@handler("conversations.open")
def conversations_open(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Open (or reopen) the bot's DM with one user."""
    ws = ctx.ws
    if args.get("channel"):
        channel = channel_or_fail(ws, args["channel"])
        existed = True
    else:
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) > 1:
            # Group DMs are not something the app needs; say so the Slack way.
            raise SlackError("method_not_supported_for_channel_type")
        user = user_or_fail(ws, users[0])
        if user.is_bot:
            raise SlackError("cannot_dm_bot")
        if user.deleted:
            raise SlackError("user_disabled")
        channel, existed = open_dm(ctx, user)
    shown = channel.to_api(ws.bot_user_id) if truthy(args.get("return_im")) else {"id": channel.id}
    answer: dict[str, Any] = {"channel": shown}
    if existed:
        answer.update(no_op=True, already_open=True)
    return answer


@handler("conversations.info")
def conversations_info(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Describe a conversation."""
    channel = channel_or_fail(ctx.ws, args.get("channel"))
    shown = channel.to_api(ctx.ws.bot_user_id)
    if truthy(args.get("include_num_members")) and not channel.is_im:
        shown["num_members"] = len(channel.members)
    return {"channel": shown}


def _listed_type(channel: Channel) -> str:
    if channel.is_im:
        return "im"
    return "private_channel" if channel.is_private else "public_channel"


@handler("conversations.list")
def conversations_list(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """List conversations the bot can see: public ones, and private ones it is in."""
    ws = ctx.ws
    types = {t.strip() for t in str(args.get("types") or "public_channel").split(",")}
    visible = [
        c
        for c in sorted(ws.channels.values(), key=lambda c: c.id)
        if _listed_type(c) in types and (not c.is_private or ws.bot_user_id in c.members)
    ]
    limit = max(1, min(int_arg(args, "limit", 100), 1000))
    start = decode_cursor(str(args["cursor"]), "channel") if args.get("cursor") else ""
    page = [c for c in visible if c.id >= start][: limit + 1]
    more = len(page) > limit
    next_cursor = encode_cursor("channel", page[limit].id) if more else ""
    return {
        "channels": [c.to_api(ws.bot_user_id) for c in page[:limit]],
        "response_metadata": {"next_cursor": next_cursor},
    }


@handler("conversations.join")
def conversations_join(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Add the bot to a public channel."""
    ws = ctx.ws
    channel = channel_or_fail(ws, args.get("channel"))
    if channel.is_im or channel.is_private:
        raise SlackError("method_not_supported_for_channel_type")
    answer: dict[str, Any] = {}
    if ws.bot_user_id in channel.members:
        answer["warning"] = "already_in_channel"
        answer["response_metadata"] = {"warnings": ["already_in_channel"]}
    channel.members.add(ws.bot_user_id)
    answer["channel"] = channel.to_api(ws.bot_user_id)
    return answer


@handler("conversations.history")
def conversations_history(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Return a conversation's messages, newest first, paged with a cursor.

    As in Slack, message ``metadata`` is only included with ``include_all_metadata``.
    """
    channel = channel_or_fail(ctx.ws, args.get("channel"))
    if not channel.is_im and ctx.ws.bot_user_id not in channel.members:
        raise SlackError("not_in_channel")
    limit = max(1, min(int_arg(args, "limit", 100), 999))
    inclusive = truthy(args.get("inclusive"))
    oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or "inf")

    def within(ts: float) -> bool:
        if inclusive:
            return oldest <= ts <= latest
        return oldest < ts < latest

    found = [m for m in reversed(channel.messages) if within(float(m["ts"]))]
    start = int(decode_cursor(args["cursor"], "history")) if args.get("cursor") else 0
    page = found[start : start + limit]
    with_metadata = truthy(args.get("include_all_metadata"))
    messages = [
        {k: v for k, v in plain_copy(m).items() if with_metadata or k != "metadata"} for m in page
    ]
    has_more = start + limit < len(found)
    answer: dict[str, Any] = {"messages": messages, "has_more": has_more, "pin_count": 0}
    cursor = encode_cursor("history", str(start + limit)) if has_more else ""
    answer["response_metadata"] = {"next_cursor": cursor}
    return answer


def resolve_target(ctx: Context, ref: Any) -> Channel:
    """Find where chat.postMessage posts: a channel id or name, a DM id, or a user id."""
    ws = ctx.ws
    ref = str(ref)
    if ref[:1] in ("U", "W") and ref in ws.users:
        user = ws.users[ref]
        # Slack opens the DM itself; it even delivers to deactivated users.
        if user.is_bot and user.id != "USLACKBOT":
            raise SlackError("channel_not_found")
        return open_dm(ctx, user)[0]
    return channel_or_fail(ws, ref)


def _content(ctx: Context, args: dict[str, Any], *, required: bool) -> dict[str, Any]:
    """Return the text/blocks/attachments of a message, checked as Slack checks them."""
    content = {k: args[k] for k in ("text", "blocks", "attachments") if args.get(k) is not None}
    if required and not any(content.get(k) for k in ("text", "blocks", "attachments")):
        raise SlackError("no_text")
    if len(str(content.get("text", ""))) > _TEXT_LIMIT:
        raise SlackError("msg_too_long")
    if "blocks" in content:
        errors = validate_blocks(
            content["blocks"], MESSAGE_BLOCK_LIMIT, check_file=slack_file_checker(ctx)
        )
        if errors:
            raise SlackError("invalid_blocks", response_metadata={"messages": errors})
        content["blocks"] = fill_ids(plain_copy(content["blocks"]))
    return content


def _check_can_post(ctx: Context, channel: Channel) -> None:
    """Refuse to post where the bot is not a member, as Slack does without chat:write.public."""
    if not channel.is_im and ctx.ws.bot_user_id not in channel.members:
        raise SlackError("not_in_channel")


@handler("chat.postMessage")
def chat_post_message(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Post a message as the bot."""
    ws = ctx.ws
    channel = resolve_target(ctx, args["channel"])
    _check_can_post(ctx, channel)
    message: dict[str, Any] = {
        "type": "message",
        "user": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "app_id": ctx.app_id,
        "team": ws.team_id,
        "text": "",
        **_content(ctx, args, required=True),
        "ts": ctx.state.new_ts(),
    }
    for optional in ("thread_ts", "metadata"):
        if args.get(optional):
            message[optional] = args[optional]
    channel.messages.append(message)
    ctx.state.message_channel[message["ts"]] = channel.id
    return {"channel": channel.id, "ts": message["ts"], "message": plain_copy(message)}


def _message_or_fail(ctx: Context, args: dict[str, Any], ts_arg: str) -> tuple[Channel, Any]:
    """Return the channel and the message `args[ts_arg]` names, or answer Slack's error."""
    channel = resolve_target(ctx, args.get("channel"))
    message = channel.find(str(args.get(ts_arg)))
    if message is None:
        raise SlackError("message_not_found")
    return channel, message


@handler("chat.update")
def chat_update(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Replace a message's text and/or blocks (blocks left out are kept, as in Slack)."""
    channel, message = _message_or_fail(ctx, args, "ts")
    if message.get("user") != ctx.ws.bot_user_id:
        raise SlackError("cant_update_message")
    message.update(_content(ctx, args, required=True))
    message["edited"] = {"user": ctx.ws.bot_user_id, "ts": ctx.state.new_ts()}
    return {
        "channel": channel.id,
        "ts": message["ts"],
        "text": message.get("text", ""),
        "message": plain_copy(message),
    }


@handler("chat.delete")
def chat_delete(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Delete one of the bot's messages."""
    channel, message = _message_or_fail(ctx, args, "ts")
    if message.get("user") != ctx.ws.bot_user_id:
        raise SlackError("cant_delete_message")
    channel.messages.remove(message)
    return {"channel": channel.id, "ts": message["ts"]}


@handler("chat.postEphemeral")
def chat_post_ephemeral(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Show a message to one member of a conversation."""
    ws = ctx.ws
    user = user_or_fail(ws, args["user"])
    channel = resolve_target(ctx, args["channel"])
    if user.id not in channel.members and not channel.is_general:
        raise SlackError("user_not_in_channel")
    ts = ctx.state.new_ts()
    message = {
        "type": "message",
        "user": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "text": "",
        **_content(ctx, args, required=True),
        "ts": ts,
        "channel": channel.id,
        "to_user": user.id,
        "is_ephemeral": True,
    }
    ctx.state.ephemerals.append(message)
    return {"message_ts": ts}


@handler("chat.getPermalink")
def chat_get_permalink(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Return a message's permalink."""
    channel, message = _message_or_fail(ctx, args, "message_ts")
    ts = str(message["ts"]).replace(".", "")
    return {
        "channel": channel.id,
        "permalink": f"https://{ctx.ws.domain}.slack.com/archives/{channel.id}/p{ts}",
    }


@handler("reactions.add")
def reactions_add(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Add the bot's emoji reaction to a message."""
    ws = ctx.ws
    channel = channel_or_fail(ws, args["channel"])
    message = channel.find(str(args["timestamp"]))
    if message is None:
        raise SlackError("message_not_found")
    name = str(args["name"]).strip(":")
    reactions: list[dict[str, Any]] = message.setdefault("reactions", [])
    reaction = next((r for r in reactions if r["name"] == name), None)
    if reaction is None:
        reaction = {"name": name, "users": [], "count": 0}
        reactions.append(reaction)
    if ws.bot_user_id in reaction["users"]:
        raise SlackError("already_reacted")
    reaction["users"].append(ws.bot_user_id)
    reaction["count"] += 1
    ctx.state.reactions.append(
        {"channel": channel.id, "timestamp": message["ts"], "name": name, "user": ws.bot_user_id}
    )
    return {}
