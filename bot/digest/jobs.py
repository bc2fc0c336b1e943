"""`digests`: post each digest channel's weekly digest, once per channel and week."""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.digest.chart import chart_alt_text, render_chart
from bot.digest.claims import claim_digest, claim_key, record_progress
from bot.digest.content import compute_digest, find_team, reported_week
from bot.digest.questions import digest_questions
from bot.digest.views import build_digest_blocks, digest_text
from bot.insights.rollup import refresh_rollup
from bot.insights.weeks import iso_week_label
from bot.jobs import job
from bot.runtime import Runtime
from bot.workspace.clients import workspace_clients
from bot.workspace.config import WorkspaceConfig, effective_config
from bot.workspace.people import ensure_workspace
from models import DigestSend, Team

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Plan:
    target: str
    key: str
    week: date
    team_id: int | None


def _claimer() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]


def _deliver(
    runtime: Runtime,
    client: WebClient,
    *,
    workspace_id: int,
    cfg: WorkspaceConfig,
    plan: _Plan,
    send: DigestSend,
) -> None:
    """Post the digest message, then upload its chart; each step is recorded when done."""
    with runtime.sessions() as session:
        team = session.get(Team, plan.team_id) if plan.team_id else None
        data = compute_digest(
            session,
            workspace_id=workspace_id,
            week=plan.week,
            team=team,
            threshold=cfg.anonymity_threshold,
            min_team_weeks=cfg.min_team_weeks,
        )
        questions = digest_questions(
            session,
            workspace_id=workspace_id,
            team_id=plan.team_id,
            week=plan.week,
            threshold=cfg.anonymity_threshold,
            now=runtime.now(),
        )
    channel_id = send.channel_id
    if send.message_ts is None:
        posted = client.chat_postMessage(
            channel=plan.target,
            text=digest_text(data),
            blocks=build_digest_blocks(data, questions=questions),
            unfurl_links=False,
            unfurl_media=False,
        )
        # Slack answers with the channel's id even when we named it (#cx-digest).
        channel_id = posted["channel"]
        with runtime.transaction() as session:
            record_progress(
                session,
                send_id=send.id,
                status="posted",
                channel_id=channel_id,
                message_ts=posted["ts"],
            )
    label = iso_week_label(plan.week)
    uploaded = client.files_upload_v2(
        channel=channel_id,
        file=render_chart(data.series, scope=data.scope, lag=data.lag),
        filename=f"cxpulse-{label}.png",
        title=f"Mood and customer wins by week, {label}",
        alt_txt=chart_alt_text(data.series, scope=data.scope, lag=data.lag),
        initial_comment="Mood and win share by week"
        + (f" (the finding compares mood with wins {data.lag} week(s) later)" if data.lag else ""),
    )
    file_id = (uploaded.get("file") or {}).get("id")
    with runtime.transaction() as session:
        record_progress(
            session,
            send_id=send.id,
            status="sent",
            file_id=file_id,
            sent_at=runtime.now(),
            error=None,
        )


def send_workspace_digests(
    runtime: Runtime, client: WebClient, *, slack_team_id: str, name: str, now: datetime
) -> dict[str, Any]:
    """Send every due digest of one workspace; returns what happened per channel."""
    report: dict[str, Any] = {}
    plans: list[_Plan] = []
    with runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=slack_team_id, name=name)
        workspace_id = ws.id
        cfg = effective_config(session, settings=runtime.settings, workspace=ws)
        refresh_rollup(session, workspace_id=ws.id, now=now)
        for channel in cfg.digest_channels:
            week = reported_week(channel, now)
            if week is None:
                continue
            team = (
                find_team(session, workspace_id=ws.id, name=channel.team) if channel.team else None
            )
            if channel.team and team is None:
                report[channel.channel] = f"unknown team {channel.team!r}"
                continue
            plans.append(
                _Plan(
                    channel.channel,
                    claim_key(channel.channel, channel.team),
                    week,
                    team.id if team else None,
                )
            )
    for plan in plans:
        send = claim_digest(
            runtime.sessions,
            workspace_id=workspace_id,
            key=plan.key,
            week=plan.week,
            team_id=plan.team_id,
            claimed_by=_claimer(),
            now=now,
        )
        if send is None:
            report[plan.key] = "already claimed"
            continue
        try:
            _deliver(runtime, client, workspace_id=workspace_id, cfg=cfg, plan=plan, send=send)
            report[plan.key] = "sent"
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "slack_error")[:64]
            logger.warning("digest to %s failed: %s", plan.target, error)
            with runtime.transaction() as session:
                record_progress(session, send_id=send.id, status="failed", error=error)
            report[plan.key] = f"failed: {error}"
    return report


@job("digests", summary="post weekly digests when due", trigger=("interval", {"minutes": 5}))
def send_digests(runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Every workspace's due digests; one post per channel and week, however often it runs."""
    return {
        team_id: send_workspace_digests(
            runtime, client, slack_team_id=team_id, name=team_name, now=now
        )
        for team_id, team_name, client in workspace_clients(runtime)
    }
