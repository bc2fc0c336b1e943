"""`followups`: DM each logger on their follow-up's due date, once ("close the loop")."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.core.jobs import job
from bot.core.posting import Mark, post_once, uncertain
from bot.customers.views import build_followup_blocks, followup_text
from bot.moments.store import DueFollowup, claim_followup, due_followups, release_followup
from bot.runtime import Runtime
from bot.workspace.clients import for_each_workspace
from bot.workspace.store import ensure_workspace, translator_for

logger = logging.getLogger(__name__)

FOLLOWUP_EVENT = "cxpulse_followup"


def send_followup(
    runtime: Runtime, client: WebClient, team_id: str, due: DueFollowup, now: datetime
) -> str:
    """Claim, then DM (in the recipient's language); a failed DM gives the claim back for the
    next run. Returns the outcome."""
    with runtime.transaction() as session:
        if not claim_followup(session, moment_id=due.moment_id, now=now):
            return "skipped"
        t = translator_for(session, slack_team_id=team_id, slack_user_id=due.slack_user_id)
    try:
        post_once(
            client,
            channel=due.slack_user_id,
            mark=Mark(FOLLOWUP_EVENT, {"moment_id": due.moment_id}),
            text=followup_text(due, t),
            blocks=build_followup_blocks(due, t),
        )
    except Exception as exc:
        if uncertain(exc):
            # Slack may have posted it: the claim stays, so it is never sent twice.
            logger.warning("follow-up DM for moment %s unconfirmed; not resent", due.moment_id)
            return "failed"
        logger.exception("follow-up DM for moment %s failed; will retry", due.moment_id)
        with runtime.transaction() as session:
            release_followup(session, moment_id=due.moment_id)
        return "failed"
    return "sent"


@job(
    "followups",
    summary="DM loggers whose customer follow-ups are due (from 09:00 their time)",
    trigger=("cron", {"minute": 15}),
)
def send_due_followups(runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Send every due follow-up in every workspace; counts per workspace."""

    def one(team_id: str, team_name: str, client: WebClient) -> dict[str, Any]:
        with runtime.transaction() as session:
            workspace = ensure_workspace(session, slack_team_id=team_id, name=team_name)
            due = due_followups(session, workspace=workspace, now=now)
        counts = {"due": len(due), "sent": 0, "failed": 0, "skipped": 0}
        for item in due:
            counts[send_followup(runtime, client, team_id, item, now)] += 1
        return counts

    return for_each_workspace(runtime, "followups", one)
