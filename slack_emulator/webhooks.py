"""The emulator's non-API endpoints: file upload URLs and interaction response_urls."""

from __future__ import annotations

import email.parser
import email.policy
import time
from typing import Any

from slack_emulator.blocks import fill_ids
from slack_emulator.copying import plain_copy
from slack_emulator.recording import ApiCall, CallLog
from slack_emulator.state import ResponsePost, SandboxState

UPLOAD_CALL = "upload"
RESPONSE_CALL = "response_url"


def _multipart_file(body: bytes, content_type: str) -> bytes:
    """Return the first part's bytes of a multipart/form-data body."""
    header = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            return payload
    return b""


def receive_upload(
    state: SandboxState, log: CallLog, file_id: str, body: bytes, content_type: str
) -> tuple[int, str]:
    """Store the bytes POSTed to an upload URL; answer like files.slack.com does."""
    content = body
    if content_type.startswith("multipart/form-data"):
        content = _multipart_file(body, content_type)
    with state.lock:
        upload = state.files.get(file_id)
        if upload is not None:
            upload.content = content
    team_id = upload.team_id if upload else None
    ok = upload is not None
    args = {"file_id": file_id, "length": len(content)}
    log.record(ApiCall(UPLOAD_CALL, args, team_id, ok, None if ok else "file_not_found"))
    return (200, f"OK - {len(content)}") if ok else (404, "file_not_found")


def receive_response(
    state: SandboxState, log: CallLog, response_id: str, body: dict[str, Any]
) -> tuple[int, str]:
    """Record a post to a response_url and apply it to the message it belongs to."""
    with state.lock:
        target = state.response_targets.get(response_id)
        if target is None:
            log.record(ApiCall(RESPONSE_CALL, body, None, False, "invalid_response_url"))
            return 404, "invalid_response_url"
        state.responses.append(
            ResponsePost(
                response_id, plain_copy(body), target.team_id, target.channel_id, time.time()
            )
        )
        ws = state.workspaces[target.team_id]
        channel = ws.channels.get(target.channel_id or "")
        original = channel.find(target.message_ts) if channel and target.message_ts else None
        content: dict[str, Any] = {
            k: body[k] for k in ("text", "blocks", "attachments") if k in body
        }
        if isinstance(content.get("blocks"), list):
            content["blocks"] = fill_ids(plain_copy(content["blocks"]))
        if original is not None and channel is not None and body.get("delete_original"):
            channel.messages.remove(original)
        elif original is not None and body.get("replace_original"):
            original.update(content)
        elif channel is not None and body.get("response_type") == "in_channel":
            ts = state.new_ts()
            message = {"type": "message", "user": ws.bot_user_id, "bot_id": ws.bot_id, "ts": ts}
            channel.messages.append({**message, "text": "", **content})
            state.message_channel[ts] = channel.id
        else:
            state.ephemerals.append(
                {
                    "type": "message",
                    "text": "",
                    **content,
                    "ts": state.new_ts(),
                    "channel": target.channel_id,
                    "to_user": target.user_id,
                    "is_ephemeral": True,
                }
            )
    log.record(ApiCall(RESPONSE_CALL, plain_copy(body), target.team_id, True, None))
    return 200, "ok"
