"""Data-subject requests from the command line: `cxpulse person export|erase`, `workspace erase`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings

if TYPE_CHECKING:
    # SQLAlchemy and the models are imported inside the commands: `cxpulse --help` and
    # every other subcommand should not wait for them.
    from sqlalchemy.orm import Session

    from bot.core.features import CliCommands
    from models import Person, Workspace


def register(cli: CliCommands) -> None:
    """Add `person` and `workspace` to the `cxpulse` commands."""
    cli.add(
        "person",
        run,
        help="one person's data: export it, or erase them",
        configure=_person_args,
    )
    cli.add("workspace", run, help="a whole workspace's data", configure=_workspace_args)


def _person_args(person: argparse.ArgumentParser) -> None:
    person_sub = person.add_subparsers(dest="person_command", required=True, metavar="ACTION")
    for action, text in (
        ("export", "print as JSON everything held about USER"),
        ("erase", "delete USER and everything held about them"),
    ):
        cmd = person_sub.add_parser(action, help=text)
        cmd.add_argument("user", help="Slack user id (U…) or email")
        cmd.add_argument("--workspace", help="Slack team id (when the database holds several)")


def _workspace_args(workspace: argparse.ArgumentParser) -> None:
    ws_sub = workspace.add_subparsers(dest="workspace_command", required=True, metavar="ACTION")
    erase = ws_sub.add_parser("erase", help="delete TEAM and everything held about it")
    erase.add_argument("team", help="Slack team id (T…)")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")


class RequestError(Exception):
    """A request that cannot be carried out; the message says why."""


def _find_person(session: Session, workspace: Workspace, user: str) -> Person:
    from sqlalchemy import or_, select

    from models import Person

    found = session.scalar(
        select(Person).where(
            Person.workspace_id == workspace.id,
            or_(Person.slack_user_id == user, Person.email == user.strip().lower()),
        )
    )
    if found is None:
        raise RequestError(
            f"nobody with Slack id or email {user!r} in workspace {workspace.slack_team_id}"
        )
    return found


def _workspace(session: Session, team: str | None) -> Workspace:
    from bot.insights.reports import ExportError, pick_workspace

    try:
        ws = pick_workspace(session, team)
    except ExportError as exc:
        raise RequestError(str(exc)) from None
    if ws is None:
        raise RequestError("no workspace in this database yet")
    return ws


def _person_export(session: Session, args: argparse.Namespace, secret: str) -> int:
    from bot.workspace.person_export import person_record

    ws = _workspace(session, args.workspace)
    person = _find_person(session, ws, args.user)
    record = person_record(
        session,
        secret=secret,
        workspace=ws,
        person=person,
        today=datetime.now(UTC).date(),
    )
    sys.stdout.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return 0


def _person_erase(session: Session, args: argparse.Namespace, secret: str) -> int:
    from bot.workspace.retention import erase_person

    ws = _workspace(session, args.workspace)
    person = _find_person(session, ws, args.user)
    user, now = person.slack_user_id, datetime.now(UTC)
    done = erase_person(
        session,
        secret=secret,
        workspace=ws,
        person=person,
        today=now.date(),
        now=now,
    )
    session.commit()
    print(
        f"erased {user} from {ws.slack_team_id}: {done.forgotten.total} pulse row(s), "
        f"{done.celebrations_received} celebration(s) of them, {done.celebrations_given} given "
        f"by them (now by 'erased'), {done.outcomes_unlinked} customer rating(s) unlinked; "
        "the directory sync will not add them back"
    )
    return 0


def _workspace_erase(
    session: Session, args: argparse.Namespace, confirm: Callable[[str], str]
) -> int:
    from sqlalchemy import func, select

    from bot.workspace.retention import erase_workspace
    from models import Person, Workspace

    ws = session.scalar(select(Workspace).where(Workspace.slack_team_id == args.team))
    if ws is None:
        known = ", ".join(session.scalars(select(Workspace.slack_team_id))) or "none"
        raise RequestError(f"no workspace {args.team!r} in this database (known: {known})")
    people = session.scalar(select(func.count()).where(Person.workspace_id == ws.id)) or 0
    if not args.yes:
        typed = confirm(
            f"This deletes workspace {ws.slack_team_id} ({ws.name or 'no name'}, {people} people) "
            "and everything stored about it, for good.\nType the team id to confirm: "
        )
        if typed.strip() != ws.slack_team_id:
            raise RequestError("not confirmed: nothing was deleted")
    done = erase_workspace(session, workspace=ws)
    session.commit()
    print(
        f"erased workspace {args.team}: {done.people} people and all their data, "
        f"{done.installations} stored installation(s)"
    )
    return 0


def _ask(prompt: str) -> str:
    print(prompt, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline()


def run(args: argparse.Namespace, settings: Settings, confirm: Callable[[str], str] = _ask) -> int:
    """Run `person export|erase` or `workspace erase` against DATABASE_URL."""
    from models.db import make_engine, make_sessionmaker

    secret = settings.cxpulse_secret or ""
    if args.command == "person" and not secret:
        # Answers are found only through keys made with the secret.
        raise ConfigError("set CXPULSE_SECRET (the one the app runs with) to find answers")
    engine = make_engine(settings.database_url, pooled=False)
    try:
        with make_sessionmaker(engine)() as session:
            if args.command == "workspace":
                return _workspace_erase(session, args, confirm)
            if args.person_command == "export":
                return _person_export(session, args, secret)
            return _person_erase(session, args, secret)
    except RequestError as exc:
        print(f"cxpulse: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
