"""Workspaces, teams and people as seen in the Slack directory; installs and uninstalls
(which workspaces are active, and deleting data on request)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.core.i18n import ENGLISH, Translator, chosen_language, translator
from bot.outcomes.rows import match_pending
from bot.pulse.anonymity import erasure_marker
from models import ErasedPerson, Person, Team, Workspace
from models.upsert import insert_if_absent

SLACKBOT_ID = "USLACKBOT"
WHOLE_WORKSPACE_TEAM = "Everyone"


@dataclass(frozen=True)
class DirectoryUser:
    """The part of a Slack user object the app keeps."""

    user_id: str
    display_name: str
    tz: str
    is_admin: bool = False
    is_bot: bool = False
    deleted: bool = False
    # Profile email (users:read.email), lower-cased: matches help-desk agents to people.
    email: str | None = None
    # Slack's locale ("fr-FR"); users.list and users.info send it only with include_locale.
    locale: str | None = None

    @property
    def is_person(self) -> bool:
        """Bots, deactivated accounts and Slackbot never get pulses."""
        return not (self.is_bot or self.deleted or self.user_id == SLACKBOT_ID)


@dataclass(frozen=True)
class SyncReport:
    """What a directory sync changed."""

    added: int
    updated: int
    deactivated: int
    skipped: int


def ensure_workspace(session: Session, *, slack_team_id: str, name: str = "") -> Workspace:
    """The workspace row for ``slack_team_id``, created on first sight (race-safe)."""
    find = select(Workspace).where(Workspace.slack_team_id == slack_team_id)
    ws = session.scalar(find)
    if ws is None:
        values = {"slack_team_id": slack_team_id, "name": name}
        insert_if_absent(session, Workspace, values, keys=("slack_team_id",))
        ws = session.scalars(find).one()
    elif name and ws.name != name:
        ws.name = name
    return ws


def ensure_team(
    session: Session, *, workspace: Workspace, name: str, usergroup_id: str | None = None
) -> Team:
    """The team called ``name`` in ``workspace``, created on first sight (race-safe)."""
    find = select(Team).where(Team.workspace_id == workspace.id, Team.name == name)
    team = session.scalar(find)
    if team is None:
        values = {"workspace_id": workspace.id, "name": name, "slack_usergroup_id": usergroup_id}
        insert_if_absent(session, Team, values, keys=("workspace_id", "name"))
        team = session.scalars(find).one()
    elif usergroup_id and team.slack_usergroup_id != usergroup_id:
        team.slack_usergroup_id = usergroup_id
    return team


def sync_people(
    session: Session,
    *,
    workspace: Workspace,
    users: Iterable[DirectoryUser],
    team_members: Mapping[str, tuple[str | None, frozenset[str]]] | None = None,
    secret: str = "",
) -> SyncReport:
    """Bring ``person`` rows in line with the directory.

    ``team_members`` maps a team name to (its user group id, member ids); the
    first team listing a person wins. Without it the whole workspace is one team.
    People missing from the directory, or now deactivated, become inactive. With
    ``secret``, people erased on request (bot/workspace/retention.py) are skipped.
    """
    if team_members is None:
        team_members = {WHOLE_WORKSPACE_TEAM: (None, frozenset())}
        everyone_team: Team | None = ensure_team(
            session, workspace=workspace, name=WHOLE_WORKSPACE_TEAM
        )
    else:
        everyone_team = None
    team_of: dict[str, Team] = {}
    for name, (group_id, members) in team_members.items():
        group_team = ensure_team(session, workspace=workspace, name=name, usergroup_id=group_id)
        for uid in members:
            team_of.setdefault(uid, group_team)

    existing = {
        p.slack_user_id: p
        for p in session.scalars(select(Person).where(Person.workspace_id == workspace.id))
    }
    added = updated = skipped = 0
    seen: set[str] = set()
    erased = (
        set(
            session.scalars(
                select(ErasedPerson.marker).where(ErasedPerson.workspace_id == workspace.id)
            )
        )
        if secret
        else set()
    )
    for user in users:
        if not user.is_person or (
            erased and erasure_marker(secret, workspace.slack_team_id, user.user_id) in erased
        ):
            skipped += 1
            continue
        seen.add(user.user_id)
        team = everyone_team or team_of.get(user.user_id)
        person = existing.get(user.user_id)
        if person is None:
            session.add(
                Person(
                    workspace_id=workspace.id,
                    slack_user_id=user.user_id,
                    display_name=user.display_name,
                    tz=user.tz,
                    is_admin=user.is_admin,
                    team_id=team.id if team else None,
                    email=_email(user),
                    slack_locale=user.locale,
                )
            )
            added += 1
            continue
        changes = {
            "display_name": user.display_name,
            "tz": user.tz,
            "is_admin": user.is_admin,
            "team_id": team.id if team else None,
            "active": True,
            "email": _email(user),
            "slack_locale": user.locale,
        }
        if any(getattr(person, k) != v for k, v in changes.items()):
            for k, v in changes.items():
                setattr(person, k, v)
            updated += 1
    gone = [uid for uid, p in existing.items() if uid not in seen and p.active]
    if gone:
        session.execute(
            update(Person)
            .where(Person.workspace_id == workspace.id, Person.slack_user_id.in_(gone))
            .values(active=False)
        )
    session.flush()
    # Help-desk outcomes that named someone the directory did not know yet.
    match_pending(session, workspace_id=workspace.id)
    return SyncReport(added=added, updated=updated, deactivated=len(gone), skipped=skipped)


def _email(user: DirectoryUser) -> str | None:
    return user.email.strip().lower() if user.email else None


def active_people(session: Session, *, workspace: Workspace) -> list[Person]:
    """Everyone the app may talk to in ``workspace``."""
    return list(
        session.scalars(
            select(Person)
            .where(Person.workspace_id == workspace.id, Person.active.is_(True))
            .order_by(Person.id)
        )
    )


def find_person(session: Session, *, slack_team_id: str, slack_user_id: str) -> Person | None:
    """The person with this Slack id in this workspace, if known."""
    return session.scalar(
        select(Person)
        .join(Workspace, Workspace.id == Person.workspace_id)
        .where(Workspace.slack_team_id == slack_team_id, Person.slack_user_id == slack_user_id)
    )


def language_of(person: Person) -> str:
    """The language ``person`` reads: their choice in /cx settings, else Slack's locale."""
    return chosen_language(override=person.language, slack_locale=person.slack_locale)


def translator_for(session: Session, *, slack_team_id: str, slack_user_id: str) -> Translator:
    """The translator for whoever sent a request (English for someone not yet synced)."""
    person = find_person(session, slack_team_id=slack_team_id, slack_user_id=slack_user_id)
    return translator(language_of(person)) if person is not None else ENGLISH


def mark_installed(
    session: Session, *, slack_team_id: str | None, name: str = "", enterprise_id: str | None
) -> None:
    """A (re)install: the workspace, or every known workspace of an org install, is active."""
    if slack_team_id is not None:
        ws = ensure_workspace(session, slack_team_id=slack_team_id, name=name)
        ws.active = True
        ws.enterprise_id = enterprise_id
    elif enterprise_id is not None:
        session.execute(
            update(Workspace).where(Workspace.enterprise_id == enterprise_id).values(active=True)
        )
    session.flush()


def mark_uninstalled(
    session: Session,
    *,
    slack_team_id: str | None,
    enterprise_id: str | None,
    org_wide: bool,
    delete_data: bool,
) -> list[str]:
    """Deactivate (or delete, with all its data) the workspace(s); returns their Slack ids."""
    where = (
        Workspace.enterprise_id == enterprise_id
        if org_wide and enterprise_id
        else Workspace.slack_team_id == slack_team_id
    )
    ids = list(session.scalars(select(Workspace.slack_team_id).where(where)))
    if delete_data:
        # Every table hangs off workspace with ON DELETE CASCADE.
        session.execute(delete(Workspace).where(where))
    else:
        session.execute(update(Workspace).where(where).values(active=False))
    session.flush()
    return ids


def is_active(session: Session, *, slack_team_id: str) -> bool:
    """False once the app was uninstalled from the workspace (unknown workspaces count active)."""
    active = session.scalar(
        select(Workspace.active).where(Workspace.slack_team_id == slack_team_id)
    )
    return active is None or bool(active)
