"""The Slack side of notes: a lead's reply to the author and the author's answer back, each
DM posted once."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.core.posting import Mark, post_once

REPLY_EVENT = "cxpulse_note_reply"
ANSWER_EVENT = "cxpulse_note_answer"


def _dm(
    client: WebClient, user_id: str, text: str, blocks: list[dict[str, Any]], *, mark: Mark
) -> None:
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    post_once(client, channel=channel, mark=mark, text=text, blocks=blocks)


def send_reply(
    client: WebClient, *, author_id: str, reply_id: int, text: str, blocks: list[dict[str, Any]]
) -> None:
    """The lead's reply, to the note's author (once per reply)."""
    _dm(client, author_id, text, blocks, mark=Mark(REPLY_EVENT, {"reply": reply_id}))


def send_answer(
    client: WebClient, *, lead_id: str, view_id: str, text: str, blocks: list[dict[str, Any]]
) -> None:
    """The author's answer back, to the lead (once per submitted answer modal)."""
    _dm(client, lead_id, text, blocks, mark=Mark(ANSWER_EVENT, {"view": view_id}))
