"""The `/cx` slash command: one listener that dispatches to registered subcommands."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.core.i18n import N_
from bot.runtime import Runtime
from bot.workspace.people import translator_for
from handlers.home import threshold_for
from handlers.router import CommandCall, CommandRouter

logger = logging.getLogger(__name__)

COMMAND = "/cx"


def handle_help(call: CommandCall) -> None:
    """`/cx help`: every word, as registered, with the workspace's anonymity threshold."""
    with call.runtime.sessions() as session:
        threshold = threshold_for(session, call.runtime, call.team_id)
        t = translator_for(session, slack_team_id=call.team_id, slack_user_id=call.user_id)
    call.ack(response_type="ephemeral", **call.router.help_message(threshold=threshold, t=t))


def handle_cx(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    runtime: Runtime,
    router: CommandRouter,
) -> None:
    """Route `/cx WORD ...` to the word's handler; an unknown word gets the help."""
    sub, word, rest = router.resolve(body.get("text", ""))
    team_id = body.get("team_id") or context.get("team_id") or ""
    if sub is None:
        with runtime.sessions() as session:
            threshold = threshold_for(session, runtime, team_id)
            t = translator_for(session, slack_team_id=team_id, slack_user_id=body["user_id"])
        unknown = router.help_message(threshold=threshold, unknown_word=word or None, t=t)
        ack(response_type="ephemeral", **unknown)
        return
    call = CommandCall(
        word=sub.word,
        args=rest,
        user_id=body["user_id"],
        team_id=team_id,
        channel_id=body.get("channel_id", ""),
        trigger_id=body.get("trigger_id", ""),
        body=body,
        ack=ack,
        respond=respond,
        client=client,
        runtime=runtime,
        router=router,
    )
    sub.handler(call)


def register(app: App, *, runtime: Runtime, router: CommandRouter) -> None:
    """Wire `/cx` and add the `help` word."""
    router.add("help", handle_help, usage="help", summary=N_("show this help"), order=0)
    app.command(COMMAND)(handle_cx)
