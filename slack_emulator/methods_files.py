"""File upload, the v2 way: get an upload URL, POST the bytes, complete the upload."""

from __future__ import annotations

import mimetypes
from typing import Any

from slack_emulator.methods_conversations import resolve_target
from slack_emulator.registry import Context, SlackError, handler, int_arg
from slack_emulator.state import Channel, UploadedFile


@handler("files.getUploadURLExternal")
def files_get_upload_url_external(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Reserve a file id and hand out an upload URL served by the emulator itself."""
    length = int_arg(args, "length", -1)
    if length < 0:
        raise SlackError("invalid_arguments", response_metadata={"messages": ["[ERROR] length"]})
    file_id = ctx.state.new_id("F")
    ctx.state.files[file_id] = UploadedFile(
        id=file_id,
        team_id=ctx.ws.team_id,
        filename=str(args["filename"]),
        length=length,
        alt_txt=args.get("alt_txt"),
    )
    return {"upload_url": f"{ctx.base_url}/upload/{file_id}", "file_id": file_id}


def _file_object(ctx: Context, upload: UploadedFile) -> dict[str, Any]:
    """Render an uploaded file as Slack's file object."""
    mimetype = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
    url = f"https://files.slack.com/files-pri/{upload.team_id}-{upload.id}/{upload.filename}"
    return {
        "id": upload.id,
        "name": upload.filename,
        "title": upload.title or upload.filename,
        "mimetype": mimetype,
        "filetype": upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "binary",
        "size": len(upload.content or b""),
        "user": ctx.ws.bot_user_id,
        "url_private": url,
        "permalink": f"https://{ctx.ws.domain}.slack.com/files/{ctx.ws.bot_user_id}/{upload.id}",
        "channels": list(upload.channels),
    }


def _targets(ctx: Context, args: dict[str, Any]) -> list[Channel]:
    """Return the channels the files are shared to (none: the upload stays private)."""
    refs = [str(args["channel_id"])] if args.get("channel_id") else []
    refs += [c for c in str(args.get("channels") or "").split(",") if c]
    targets = [resolve_target(ctx, ref) for ref in refs]
    for channel in targets:
        if not channel.is_im and ctx.ws.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")
    return targets


@handler("files.completeUploadExternal")
def files_complete_upload_external(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Finish uploads whose bytes arrived, and share them where asked."""
    entries = args["files"]
    if not isinstance(entries, list) or not entries:
        raise SlackError("invalid_arguments", response_metadata={"messages": ["[ERROR] files"]})
    uploads: list[UploadedFile] = []
    for entry in entries:
        upload = ctx.state.files.get(str(entry.get("id") if isinstance(entry, dict) else ""))
        if upload is None or upload.team_id != ctx.ws.team_id or upload.content is None:
            raise SlackError("file_not_found")
        uploads.append(upload)
        upload.title = entry.get("title") or upload.filename
    targets = _targets(ctx, args)
    comment = args.get("initial_comment")
    for upload in uploads:
        upload.completed = True
        upload.initial_comment = comment
        upload.channels += [c.id for c in targets]
    for channel in targets:
        message: dict[str, Any] = {
            "type": "message",
            "user": ctx.ws.bot_user_id,
            "bot_id": ctx.ws.bot_id,
            "text": comment or "",
            "upload": True,
            "files": [_file_object(ctx, u) for u in uploads],
            "ts": ctx.state.new_ts(),
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        channel.messages.append(message)
        ctx.state.message_channel[message["ts"]] = channel.id
    return {"files": [_file_object(ctx, u) for u in uploads]}


@handler("files.list")
def files_list(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """The workspace's completed files, newest first: by ``user``, ``channel`` and ``types``."""
    count = max(1, int_arg(args, "count", 100))
    page = max(1, int_arg(args, "page", 1))
    found = [
        _file_object(ctx, f)
        for f in reversed(list(ctx.state.files.values()))
        if f.team_id == ctx.ws.team_id and f.completed
    ]
    if args.get("user"):
        found = [f for f in found if f["user"] == args["user"]]
    if args.get("channel"):
        found = [f for f in found if args["channel"] in f["channels"]]
    types = {t for t in str(args.get("types") or "all").split(",") if t}
    if "all" not in types:
        found = [f for f in found if "images" in types and f["mimetype"].startswith("image/")]
    pages = max(1, -(-len(found) // count))
    return {
        "files": found[(page - 1) * count : page * count],
        "paging": {"count": count, "total": len(found), "page": page, "pages": pages},
    }
