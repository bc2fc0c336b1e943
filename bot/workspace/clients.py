"""Which workspaces a job should visit, each with its Web API client; and the person behind
a request, fetched from Slack the first time."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Bot
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.slack import make_client
from bot.core.text import mentioned_users, readable
from bot.runtime import Runtime
from bot.workspace.store import DirectoryUser, ensure_workspace, find_person, is_active
from models import Person, Workspace
from models.upsert import insert_if_absent

logger = logging.getLogger(__name__)


def workspace_clients(runtime: Runtime) -> Iterator[tuple[str, str, WebClient]]:
    """(team id, team name, client) for every installed, active workspace the app serves.

    With a single bot token that is the token's own workspace (auth.test). With
    OAuth it is every installation in the store, each with its own bot token; an
    Enterprise Grid org install is visited as the workspace its token reports.
    Uninstalled workspaces (inactive, installation deleted) are skipped.
    """
    store = runtime.installations
    if store is None:
        client = runtime.clients.default()
        auth = _auth(client, "the bot token")
        if auth is not None:
            yield auth[0], auth[1], client
        return
    for bot in store.installed_bots():
        label = bot.team_id or f"org {bot.enterprise_id}"
        client = make_client(runtime.settings, bot.bot_token)
        try:
            found = _active(runtime, client, label, bot)
        except Exception:  # one installation's failure must not hide the others
            logger.exception("skipping %s: could not check its installation", label)
            continue
        if found is not None:
            yield found[0], found[1], client


def _active(runtime: Runtime, client: WebClient, label: str, bot: Bot) -> tuple[str, str] | None:
    """(team id, name) of an installation that is still active, or None."""
    auth = _auth(client, label)
    if auth is None:
        return None
    team_id, name = auth
    with runtime.transaction() as session:
        active = is_active(session, slack_team_id=team_id)
        if active and bot.is_enterprise_install:
            ws = ensure_workspace(session, slack_team_id=team_id, name=name)
            ws.enterprise_id = bot.enterprise_id
    return (team_id, name) if active else None


def _auth(client: WebClient, label: str) -> tuple[str, str] | None:
    """(team id, team name) the token acts in, or None when Slack refuses the token."""
    try:
        auth = client.auth_test()
    except SlackApiError as exc:
        logger.warning("skipping %s: auth.test failed (%s)", label, exc.response.get("error"))
        return None
    return str(auth["team_id"]), str(auth.get("team") or "")


def for_each_workspace(
    runtime: Runtime, job_name: str, work: Callable[[str, str, WebClient], dict[str, Any]]
) -> dict[str, Any]:
    """Run ``work(team_id, name, client)`` per active workspace; a failure skips only that one."""
    report: dict[str, Any] = {}
    for team_id, name, client in workspace_clients(runtime):
        report[team_id] = _isolated(job_name, team_id, partial(work, team_id, name, client))
    return report


def for_each_stored_workspace(
    runtime: Runtime, job_name: str, work: Callable[[Session, Workspace], dict[str, Any]]
) -> dict[str, Any]:
    """Run ``work(session, workspace)`` for every workspace in the database (installed or not;
    no Slack calls), each in its own transaction; a failure rolls back and skips only that one.
    """
    with runtime.transaction() as session:
        rows = session.execute(
            select(Workspace.id, Workspace.slack_team_id).order_by(Workspace.id)
        ).all()

    def one(workspace_id: int) -> dict[str, Any]:
        with runtime.transaction() as session:
            workspace = session.get(Workspace, workspace_id)
            return work(session, workspace) if workspace is not None else {}

    report: dict[str, Any] = {}
    for workspace_id, team_id in rows:
        report[team_id] = _isolated(job_name, team_id, partial(one, workspace_id))
    return report


def _isolated(job_name: str, team_id: str, step: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``step()``, or, when it raises, the error logged with the workspace id and reported."""
    try:
        return step()
    except Exception as exc:  # logged with its traceback; the next workspace still runs
        logger.exception("job %s failed in workspace %s", job_name, team_id)
        return {"error": type(exc).__name__}


def person_for_request(
    session: Session, client: WebClient, *, team_id: str, user_id: str
) -> Person:
    """The person row for ``user_id``; a newcomer not yet synced is looked up with users.info."""
    person = find_person(session, slack_team_id=team_id, slack_user_id=user_id)
    if person is not None:
        return person
    member = client.users_info(user=user_id, include_locale=True)["user"]
    profile = member.get("profile") or {}
    user = DirectoryUser(
        user_id=user_id,
        display_name=profile.get("display_name") or profile.get("real_name") or "",
        tz=member.get("tz") or "UTC",
        is_admin=bool(member.get("is_admin") or member.get("is_owner")),
        locale=member.get("locale"),
    )
    workspace = ensure_workspace(session, slack_team_id=team_id)
    values = {
        "workspace_id": workspace.id,
        "slack_user_id": user.user_id,
        "display_name": user.display_name,
        "tz": user.tz,
        "is_admin": user.is_admin,
        "slack_locale": user.locale,
    }
    # A double click by a newcomer arrives twice at once: both share the one row.
    insert_if_absent(session, Person, values, keys=("workspace_id", "slack_user_id"))
    found = find_person(session, slack_team_id=team_id, slack_user_id=user_id)
    if found is None:  # cannot happen: the row was inserted or already there
        raise LookupError(f"person {user_id} vanished while being created")
    return found


MAX_NAMES_LOOKED_UP = 10


def readable_message(client: WebClient, text: str) -> str:
    """A Slack message's text as people read it: mentions shown by name, no markup."""
    names: dict[str, str] = {}
    for user_id in mentioned_users(text)[:MAX_NAMES_LOOKED_UP]:
        try:
            member = client.users_info(user=user_id)["user"]
        except SlackApiError:
            continue  # unknown or gone: shown by id
        profile = member.get("profile") or {}
        names[user_id] = str(
            profile.get("display_name") or profile.get("real_name") or member.get("name") or ""
        )
    return readable(text, names)
