"""Posting to Slack exactly once, though Slack's answer may be lost on the way back.

Every message the app posts carries message metadata naming what it is (a ``Mark``: an
event type and a key such as the claim's id). When a post fails in a way that leaves it
unknown whether Slack took it (a 5xx, a timeout, a dropped or cut answer), the channel's
recent history is searched for that mark before anything is posted again. Only a 429 or
a refused connection mean, for certain, that nothing was posted.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.slack import never_sent

logger = logging.getLogger(__name__)

HISTORY_LIMIT = 100
MAX_RATELIMIT_WAITS = 30
POST_TRIES = 3
# A moment for Slack to finish a post whose answer was lost, before its history is read.
SETTLE_SECONDS = 0.5
_CONVERSATION_ID = re.compile(r"[CGD][A-Z0-9]+")


@dataclass(frozen=True)
class Mark:
    """What one intended message is: its metadata event type and identifying payload."""

    event_type: str
    payload: Mapping[str, str | int]

    def metadata(self) -> dict[str, Any]:
        """The message metadata to post with."""
        return {"event_type": self.event_type, "event_payload": dict(self.payload)}

    def matches(self, message: Mapping[str, Any]) -> bool:
        """Whether ``message`` (as conversations.history returns it) carries this mark."""
        meta = message.get("metadata") or {}
        found = meta.get("event_payload") or {}
        return meta.get("event_type") == self.event_type and all(
            str(found.get(k)) == str(v) for k, v in self.payload.items()
        )


@dataclass(frozen=True)
class Posted:
    """Where a message is: its channel id and timestamp."""

    channel: str
    ts: str


def uncertain(error: BaseException) -> bool:
    """True when Slack may have done the call although it failed (check before repeating)."""
    if isinstance(error, SlackApiError):
        return int(error.response.status_code) >= 500
    if never_sent(error):
        return False
    return isinstance(error, TimeoutError | HTTPException | ConnectionError | URLError)


def _slack_error(exc: SlackApiError) -> str:
    return str(exc.response.get("error") or "slack_error")


def call_with_patience(call: Callable[[], Any]) -> Any:
    """Call a Web API method, waiting out 429s beyond the client's own retries.

    A 429 means Slack did nothing, so trying again can never duplicate.
    """
    for _ in range(MAX_RATELIMIT_WAITS):
        try:
            return call()
        except SlackApiError as exc:
            if exc.response.status_code != 429 and _slack_error(exc) != "ratelimited":
                raise
            time.sleep(float(exc.response.headers.get("Retry-After", "1") or 1))
    return call()


def _page(client: WebClient, cursor: str | None) -> Any:
    return client.conversations_list(
        types="public_channel,private_channel", exclude_archived=True, limit=200, cursor=cursor
    )


def _pages(client: WebClient) -> Iterator[dict[str, Any]]:
    cursor: str | None = None
    while True:
        page = call_with_patience(functools.partial(_page, client, cursor))
        yield from page.get("channels", [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return


def conversation_id(client: WebClient, channel: str) -> str | None:
    """The id of ``channel``: an id as it is, a user's DM, or a channel found by name."""
    if _CONVERSATION_ID.fullmatch(channel):
        return channel
    if channel[:1] in ("U", "W") and channel.isalnum() and channel.isupper():
        opened = call_with_patience(lambda: client.conversations_open(users=channel))
        return str(opened["channel"]["id"])
    name = channel.removeprefix("#")
    return next((c["id"] for c in _pages(client) if c.get("name") == name), None)


def find_posted(client: WebClient, *, channel: str, mark: Mark) -> Posted | None:
    """The message carrying ``mark`` among the channel's recent ones, if Slack has it."""
    channel_id = conversation_id(client, channel)
    if channel_id is None:
        return None
    history = call_with_patience(
        lambda: client.conversations_history(
            channel=channel_id, limit=HISTORY_LIMIT, include_all_metadata=True
        )
    )
    for message in history.get("messages", []):
        if mark.matches(message):
            return Posted(channel_id, str(message["ts"]))
    return None


def post_once(
    client: WebClient,
    *,
    channel: str,
    mark: Mark,
    look_first: bool = False,
    **message: Any,
) -> Posted:
    """chat.postMessage ``message`` in ``channel`` unless a message with ``mark`` is there.

    ``look_first``: the post may already have been made (a claim taken over after a crash).
    After an uncertain failure the history is read before posting again; the last failure
    is raised when Slack never confirmed (``uncertain`` tells the caller it may be posted).
    """
    if look_first and (found := find_posted(client, channel=channel, mark=mark)):
        return found
    for attempt in range(1, POST_TRIES + 1):
        try:
            answer = call_with_patience(
                lambda: client.chat_postMessage(
                    channel=channel, metadata=mark.metadata(), **message
                )
            )
            return Posted(str(answer["channel"]), str(answer["ts"]))
        except Exception as exc:
            if not uncertain(exc) or attempt == POST_TRIES:
                raise
            logger.warning("%s unconfirmed (%s), looking", mark.event_type, type(exc).__name__)
        time.sleep(SETTLE_SECONDS)
        if found := find_posted(client, channel=channel, mark=mark):
            return found
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def find_shared_file(client: WebClient, *, channel: str, filename: str) -> str | None:
    """The id of a file named ``filename`` the bot shared among the channel's recent messages."""
    channel_id = conversation_id(client, channel)
    if channel_id is None:
        return None
    history = call_with_patience(
        lambda: client.conversations_history(channel=channel_id, limit=HISTORY_LIMIT)
    )
    for message in history.get("messages", []):
        for shared in message.get("files") or []:
            if shared.get("name") == filename:
                return str(shared.get("id"))
    return None


def find_private_file(client: WebClient, *, filename: str) -> str | None:
    """The id of a completed image named ``filename`` among the newest files the bot can see.

    None also when the install predates the files:read scope: it cannot look, and a chart
    that is shown matters more than a rare second upload.
    """
    try:
        listing = call_with_patience(lambda: client.files_list(types="images", count=HISTORY_LIMIT))
    except SlackApiError as exc:
        if _slack_error(exc) != "missing_scope":
            raise
        logger.warning("files:read not granted: reinstall the app so lost uploads are found")
        return None
    return next((str(f["id"]) for f in listing.get("files", []) if f.get("name") == filename), None)


def _find_file(client: WebClient, channel: str | None, filename: str) -> str | None:
    if channel is None:
        return find_private_file(client, filename=filename)
    return find_shared_file(client, channel=channel, filename=filename)


def upload_once(
    client: WebClient,
    *,
    channel: str | None,
    filename: str,
    look_first: bool = False,
    **upload: Any,
) -> str | None:
    """files_upload_v2 to ``channel`` unless a file named ``filename`` is already shared there.

    ``channel`` None: a private upload, looked for among the bot's files (``filename`` must
    then be unique to what is uploaded). Returns the file's id. Like ``post_once``, an
    uncertain failure looks before repeating.
    """
    if look_first and (found := _find_file(client, channel, filename)):
        return found
    target: dict[str, Any] = {} if channel is None else {"channel": channel}
    for attempt in range(1, POST_TRIES + 1):
        try:
            uploaded = call_with_patience(
                lambda: client.files_upload_v2(filename=filename, **target, **upload)
            )
            file_id = (uploaded.get("file") or {}).get("id")
            return str(file_id) if file_id else None
        except Exception as exc:
            if not uncertain(exc) or attempt == POST_TRIES:
                raise
            logger.warning("upload of %s unconfirmed (%s), looking", filename, type(exc).__name__)
        time.sleep(SETTLE_SECONDS)
        if found := _find_file(client, channel, filename):
            return found
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
