"""`pulses` (send due pulse DMs) and `reminders` (one nudge when still unanswered)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.i18n import translator
from bot.core.jobs import job
from bot.core.posting import Mark, find_posted, post_once
from bot.pulse import window
from bot.pulse.delivery import claim_reminders, send_due_pulses
from bot.pulse.views import reminder_text
from bot.runtime import Runtime
from bot.workspace.clients import for_each_workspace
from bot.workspace.config import effective_config
from bot.workspace.store import ensure_workspace

logger = logging.getLogger(__name__)

REMINDER_EVENT = "cxpulse_reminder"


def reminder_mark(send_id: int) -> Mark:
    """What marks the reminder of one send in the DM (metadata), to find and delete it."""
    return Mark(REMINDER_EVENT, {"send_id": send_id})


@job(
    "pulses", summary="send the daily pulse DMs that are due", trigger=("interval", {"minutes": 5})
)
def pulses(runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Send every due pulse in every workspace; returns counts per workspace."""

    def one(team_id: str, team_name: str, client: WebClient) -> dict[str, Any]:
        result = send_due_pulses(runtime, client, team_id=team_id, team_name=team_name, now=now)
        return dict(result.__dict__)

    return for_each_workspace(runtime, "pulses", one)


@job(
    "reminders",
    summary="remind people of an unanswered pulse, once",
    trigger=("interval", {"minutes": 15}),
)
def reminders(runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Post at most one reminder per unanswered pulse; returns counts per workspace."""
    secret = runtime.settings.cxpulse_secret or ""

    def one(team_id: str, team_name: str, client: WebClient) -> dict[str, Any]:
        with runtime.transaction() as session:
            workspace = ensure_workspace(session, slack_team_id=team_id, name=team_name)
            config = effective_config(session, settings=runtime.settings, workspace=workspace)
            claims = claim_reminders(
                session, secret=secret, workspace=workspace, config=config, now=now
            )
        sent = failed = 0
        for claim in claims:
            try:
                # Its ts is not kept (it would say "reminded"): the mark finds it again.
                post_once(
                    client,
                    channel=claim.channel_id,
                    mark=reminder_mark(claim.send_id),
                    text=reminder_text(translator(claim.language)),
                )
                sent += 1
                runtime.metrics.reminders_sent.inc()
            except Exception as exc:
                # At most one reminder: a failed one is not retried.
                error = exc.response.get("error") if isinstance(exc, SlackApiError) else exc
                logger.warning("reminder for send %s: %s", claim.send_id, error)
                failed += 1
        return {"reminded": sent, "failed": failed}

    return for_each_workspace(runtime, "reminders", one)


@job(
    "pulse-window",
    summary="close answer windows: drop per-person send details, shuffle closed days",
    trigger=("interval", {"minutes": 60}),
)
def pulse_window(runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Per workspace: delete reminders of closed pulses, clear send details, seal days."""
    secret = runtime.settings.cxpulse_secret or ""

    def one(team_id: str, team_name: str, client: WebClient) -> dict[str, Any]:
        with runtime.transaction() as session:
            workspace = ensure_workspace(session, slack_team_id=team_id, name=team_name)
            ws_id = workspace.id
            closed = window.closed_sends(session, workspace_id=ws_id, now=now)
            flags = window.flags_of(session, secret=secret, slack_team_id=team_id, send_ids=closed)
        deleted = 0
        for reminder in flags.reminders:
            try:
                mark = reminder_mark(reminder.send_id)
                if found := find_posted(client, channel=reminder.channel_id, mark=mark):
                    client.chat_delete(channel=found.channel, ts=found.ts)
                    deleted += 1
            except SlackApiError as exc:
                # Already gone (deleted by hand): nothing left to read back either way.
                logger.info("reminder not deleted: %s", exc.response.get("error"))
        with runtime.transaction() as session:
            cleared = window.forget_send_details(session, send_ids=closed, flags=flags)
            sealed = window.seal_closed_days(session, workspace_id=ws_id, now=now)
        return {"closed": cleared, "reminders_deleted": deleted, "sealed": sealed}

    return for_each_workspace(runtime, "pulse-window", one)
