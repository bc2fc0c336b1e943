"""The workspace jobs: `sync-users` copies the Slack directory into `person`; `purge` applies
retention."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.core.jobs import job
from bot.core.web.handled import purge_handled
from bot.insights.rollup import refresh_rollup
from bot.outcomes.store import purge_customer_text
from bot.runtime import Runtime
from bot.workspace.clients import for_each_stored_workspace, for_each_workspace
from bot.workspace.config import effective_config
from bot.workspace.retention import purge_before, retention_cutoff
from bot.workspace.store import DirectoryUser, ensure_workspace, sync_people
from models import Workspace

logger = logging.getLogger(__name__)


def fetch_directory(client: WebClient) -> list[DirectoryUser]:
    """Every member of the workspace, following users.list's cursor (locales included)."""
    users: list[DirectoryUser] = []
    for page in client.users_list(limit=200, include_locale=True):
        for member in page.get("members", []):
            profile = member.get("profile") or {}
            users.append(
                DirectoryUser(
                    user_id=member["id"],
                    display_name=profile.get("display_name")
                    or profile.get("real_name")
                    or member.get("real_name")
                    or member.get("name", ""),
                    tz=member.get("tz") or "UTC",
                    is_admin=bool(member.get("is_admin") or member.get("is_owner")),
                    is_bot=bool(member.get("is_bot") or member.get("is_app_user")),
                    deleted=bool(member.get("deleted")),
                    email=profile.get("email"),
                    locale=member.get("locale"),
                )
            )
    return users


def fetch_team_groups(
    client: WebClient, groups: tuple[str, ...]
) -> dict[str, tuple[str | None, frozenset[str]]] | None:
    """Members of the user groups that define teams (ids or handles), by group name.

    A group that no longer exists (deleted in Slack, or a typo in the settings) is skipped
    with a warning: the other teams still sync.
    """
    if not groups:
        return None
    listing: list[dict[str, Any]] = client.usergroups_list(include_users=False).get(
        "usergroups", []
    )
    by_key = {g["id"]: g for g in listing} | {g.get("handle", ""): g for g in listing}
    teams: dict[str, tuple[str | None, frozenset[str]]] = {}
    for key in groups:
        group = by_key.get(key.lstrip("@"))
        if group is None:
            logger.warning("team user group %r not found; its team is not synced", key)
            continue
        members: list[str] = client.usergroups_users_list(usergroup=group["id"]).get("users", [])
        teams[group.get("name") or group.get("handle") or group["id"]] = (
            group["id"],
            frozenset(members),
        )
    return teams


@job(
    "sync-users",
    summary="copy the Slack directory into people",
    trigger=("cron", {"minute": 7}),
    at_start=True,
)
def sync_users(runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Sync every workspace's directory; returns counts per workspace."""

    def sync_one(team_id: str, team_name: str, client: WebClient) -> dict[str, Any]:
        with runtime.transaction() as session:
            ws = ensure_workspace(session, slack_team_id=team_id, name=team_name)
            # Team groups as the workspace's admin set them (/cx admin), else the environment's.
            config = effective_config(session, settings=runtime.settings, workspace=ws)
        users = fetch_directory(client)
        groups = fetch_team_groups(client, config.team_groups)
        with runtime.transaction() as session:
            ws = ensure_workspace(session, slack_team_id=team_id, name=team_name)
            result = sync_people(
                session,
                workspace=ws,
                users=users,
                team_members=groups,
                secret=runtime.settings.cxpulse_secret or "",
            )
        return dict(result.__dict__)

    return for_each_workspace(runtime, "sync-users", sync_one)


@job(
    "purge",
    summary="delete answers and notes past retention",
    trigger=("cron", {"hour": 3, "minute": 17}),
)
def purge(runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Purge every workspace in the database (no Slack calls: uninstalled ones too)."""

    def one(session: Session, ws: Workspace) -> dict[str, Any]:
        config = effective_config(session, settings=runtime.settings, workspace=ws)
        cutoff = retention_cutoff(now.date(), config.retention_days)
        result = purge_before(session, workspace=ws, cutoff=cutoff)
        # Customers' names and comments from the help desk: customer data, same retention.
        customer_text = purge_customer_text(session, workspace_id=ws.id, cutoff=cutoff)
        rolled = refresh_rollup(session, workspace_id=ws.id, now=now)
        return {
            "before": cutoff.isoformat(),
            **result.__dict__,
            "customer_text": customer_text,
            "weeks_rolled_up": len(rolled),
        }

    report = for_each_stored_workspace(runtime, "purge", one)
    # Replays and retries come within hours: older dedupe records serve nothing.
    with runtime.transaction() as session:
        purge_handled(session, today=now.date())
    return report
