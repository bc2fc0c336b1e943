"""Find the person behind a request, fetching them from Slack the first time."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.text import mentioned_users, readable
from bot.workspace.people import DirectoryUser, ensure_workspace, find_person
from models import Person
from models.upsert import insert_if_absent


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
