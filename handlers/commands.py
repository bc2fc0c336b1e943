"""The `/cx` slash command: one listener that dispatches to registered subcommands."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blockkit.help import build_help_blocks, help_text
from bot.runtime import Runtime
from handlers.home import threshold_for
from handlers.router import CommandCall, CommandRouter

logger = logging.getLogger(__name__)

COMMAND = "/cx"
SORRY = "Sorry, something went wrong on our side. Nothing you entered was lost; please try again."


def register(app: App, *, runtime: Runtime, router: CommandRouter) -> None:
    """Wire `/cx` to ``router`` and add the `help` word."""

    cached: dict[int, dict[str, Any]] = {}

    def help_message(threshold: int) -> dict[str, Any]:
        """The help, built once per threshold: every word is registered before any request."""
        if threshold not in cached:
            listed = router.listed()
            blocks = build_help_blocks(listed, threshold=threshold)
            cached[threshold] = {"text": help_text(listed), "blocks": blocks}
        return cached[threshold]

    def show_help(call: CommandCall) -> None:
        with runtime.sessions() as session:
            threshold = threshold_for(session, runtime, call.team_id)
        call.ack(response_type="ephemeral", **help_message(threshold))

    router.add("help", show_help, usage="help", summary="show this help", order=0)

    @app.command(COMMAND)
    def handle_cx(
        ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: Any
    ) -> None:
        sub, word, rest = router.resolve(body.get("text", ""))
        if sub is None:
            with runtime.sessions() as session:
                team = body.get("team_id") or context.get("team_id") or ""
                threshold = threshold_for(session, runtime, team)
            listed = router.listed()
            blocks = build_help_blocks(listed, threshold=threshold, unknown_word=word or None)
            ack(response_type="ephemeral", text=help_text(listed), blocks=blocks)
            return
        call = CommandCall(
            word=sub.word,
            args=rest,
            user_id=body["user_id"],
            team_id=body.get("team_id") or context.get("team_id") or "",
            channel_id=body.get("channel_id", ""),
            trigger_id=body.get("trigger_id", ""),
            body=body,
            ack=ack,
            respond=respond,
            client=client,
            runtime=runtime,
        )
        try:
            sub.handler(call)
        except Exception:
            logger.exception("/cx %s failed", sub.word)
            if ack.response is None:
                ack(response_type="ephemeral", text=SORRY)
            else:
                respond(response_type="ephemeral", text=SORRY)
