"""`digests`: post each digest channel's weekly digest when due, once per channel and week."""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.disclosure import (
    Audience,
    shown_week,
)
from bot.core.jobs import job
from bot.core.weeks import week_start
from bot.digest.delivery import (
    NOT_INVITED,
    DigestTarget,
    NotInvited,
    claim_digest,
    claim_key,
    deliver_digest,
    record_progress,
    tell_admins,
)
from bot.digest.store import DigestData, DigestQuestions, compute_digest, digest_questions
from bot.insights.rollup import refresh_rollup
from bot.runtime import Runtime
from bot.workspace.clients import for_each_workspace
from bot.workspace.config import DigestChannel, WorkspaceConfig, effective_config
from bot.workspace.store import ensure_workspace
from models import DigestSend, Team

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Plan:
    target: str
    key: str
    week: date
    team_id: int | None
    language: str


def _claimer() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]


def _compute(
    runtime: Runtime, *, workspace_id: int, cfg: WorkspaceConfig, plan: _Plan
) -> tuple[DigestData, DigestQuestions]:
    with runtime.sessions() as session:
        team = session.get(Team, plan.team_id) if plan.team_id else None
        audience = Audience(cfg.anonymity_threshold)
        data = compute_digest(
            session,
            workspace_id=workspace_id,
            week=plan.week,
            team=team,
            audience=audience,
            now=runtime.now(),
            min_team_weeks=cfg.min_team_weeks,
        )
        questions = digest_questions(
            session,
            workspace_id=workspace_id,
            team_id=plan.team_id,
            week=plan.week,
            audience=audience,
            now=runtime.now(),
        )
    return data, questions


def _target(plan: _Plan, send: DigestSend) -> DigestTarget:
    return DigestTarget(
        send_id=send.id,
        channel=plan.target,
        week=plan.week,
        team_id=plan.team_id,
        resumed=send.attempts > 1,
        channel_id=send.channel_id,
        message_ts=send.message_ts,
        language=plan.language,
    )


def _failed(runtime: Runtime, *, send_id: int, target: str, exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        error = str(exc.response.get("error") or "slack_error")[:64]
    else:  # a timeout or a lost answer, after the channel was checked
        error = type(exc).__name__[:64]
    logger.warning("digest to %s failed: %s", target, error)
    with runtime.transaction() as session:
        record_progress(session, send_id=send_id, status="failed", error=error)
    return f"failed: {error}"


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
                    cfg.digest_language(channel),
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
        data, questions = _compute(runtime, workspace_id=workspace_id, cfg=cfg, plan=plan)
        try:
            target = _target(plan, send)
            deliver_digest(runtime, client, target=target, data=data, questions=questions)
            report[plan.key] = "sent"
            runtime.metrics.digests_posted.inc()
        except NotInvited as exc:
            with runtime.transaction() as session:
                record_progress(session, send_id=send.id, status="failed", error=NOT_INVITED)
            told = tell_admins(client, admins=cfg.admins, send_id=send.id, channel=exc.channel)
            report[plan.key] = f"failed: not_in_channel (invite the bot; {told} admin(s) told)"
        except Exception as exc:
            report[plan.key] = _failed(runtime, send_id=send.id, target=plan.target, exc=exc)
    return report


@job("digests", summary="post weekly digests when due", trigger=("interval", {"minutes": 5}))
def send_digests(runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Every workspace's due digests; one post per channel and week, however often it runs."""

    def one(team_id: str, team_name: str, client: WebClient) -> dict[str, Any]:
        return send_workspace_digests(
            runtime, client, slack_team_id=team_id, name=team_name, now=now
        )

    return for_each_workspace(runtime, "digests", one)


def reported_week(channel: DigestChannel, now: datetime) -> date | None:
    """The week a channel's digest reports on if it is due at ``now``, else None.

    Due from its local weekday and time until the end of that local week, so a run
    missed during downtime still goes out. It reports the newest week closed when the
    digest fell due (the gate's rule): on a Monday, the week before last, since answers
    for last week still arrive until Wednesday. Fixed by the due time, so a retry later
    in the week reports the same week.
    """
    local = now.astimezone(ZoneInfo(channel.timezone))
    monday = week_start(local.date())
    due = datetime.combine(
        monday + timedelta(days=channel.weekday), channel.local_time, tzinfo=local.tzinfo
    )
    return shown_week(monday - timedelta(weeks=1), due) if local >= due else None


def find_team(session: Session, *, workspace_id: int, name: str) -> Team | None:
    """The team a digest channel names: by team name or user group id/handle."""
    key = name.lstrip("@")
    return session.scalar(
        select(Team).where(
            Team.workspace_id == workspace_id,
            (func.lower(Team.name) == key.lower()) | (Team.slack_usergroup_id == key),
        )
    )
