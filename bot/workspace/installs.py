"""Installs and uninstalls: which workspaces are active, and deleting data on request."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.workspace.people import ensure_workspace
from models import Workspace


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
