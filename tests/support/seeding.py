"""Seeding pulse answers and notes straight into the database (pulse DMs are another feature)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core import ids
from bot.core.weeks import week_start
from bot.pulse.anonymity import respondent_key
from models import (
    Person,
    PulseAnswer,
    PulseNote,
    Workspace,
)
from tests.support.stack import SandboxStack
from tests.support.waiting import wait_until


def seed_week(
    session: Session,
    *,
    secret: str,
    team_id: str,
    users: list[str],
    week_start: date,
    notes: dict[str, str] | None = None,
) -> None:
    """Answers (score 3) on ``week_start`` for ``users`` and notes by some, keyed like the app."""
    ws = session.scalar(select(Workspace).where(Workspace.slack_team_id == team_id))
    assert ws is not None, f"run sync-users for {team_id} first"
    for user in users:
        person = session.scalar(
            select(Person).where(Person.workspace_id == ws.id, Person.slack_user_id == user)
        )
        key = respondent_key(secret, team_id, user, day=week_start)
        common = {
            "workspace_id": ws.id,
            "respondent_key": key,
            "team_id": person.team_id if person else None,
            "pulse_date": week_start,
            "week_start": week_start,
        }
        session.add(PulseAnswer(score=3, **common))
        if notes and user in notes:
            session.add(PulseNote(text=notes[user], **common))
    session.flush()


def last_week(today: date) -> date:
    """The Monday of the week before ``today``'s."""
    return week_start(today) - timedelta(weeks=1)


def newest_closed_week(stack: SandboxStack) -> date:
    """The Monday of the newest closed week: last week is still open on a Monday (answers
    come in for 48 h)."""
    return last_week(stack.clock().date()) - timedelta(weeks=1)


def lead_and_writers(
    stack: SandboxStack, *, lead_locale: str = "en-US", locales: Sequence[str] = ("en-US",) * 6
) -> tuple[str, list[str]]:
    """A lead and a writer per locale (six by default: the lead answers pulses too, so notes
    need one writer more than the threshold of 5), in Slack and synced; (lead, writers)."""
    lead = stack.emulator.add_user(name="lead", locale=lead_locale)["id"]
    staff = [
        stack.emulator.add_user(name=f"staff{i}", locale=locale)["id"]
        for i, locale in enumerate(locales)
    ]
    stack.runtime.settings = stack.settings.with_overrides(leads=(lead,))
    stack.run_job("sync-users")
    return lead, staff


def write_notes(
    stack: SandboxStack, staff: list[str], notes: dict[str, str], *, week: date | None = None
) -> None:
    """``staff`` answered the pulse in ``week`` (default: the newest closed one), and those
    in ``notes`` wrote one."""
    with stack.runtime.transaction() as session:
        seed_week(
            session,
            secret=stack.settings.cxpulse_secret or "",
            team_id=stack.emulator.team_id,
            users=staff,
            week_start=week or newest_closed_week(stack),
            notes=notes,
        )


def lead_clicks_reply_on_a_note(stack: SandboxStack) -> tuple[str, list[str]]:
    """A lead lists last closed week's notes and clicks Reply on staff[2]'s; (lead, staff)."""
    lead, staff = lead_and_writers(stack)
    # Notes show once the threshold (5) of people wrote one; this one sorts first.
    write_notes(
        stack, staff, {s: "The queue is brutal" if s == staff[2] else f"note {s}" for s in staff}
    )
    stack.actor.slash_command(lead, "notes")
    listing = wait_until(lambda: stack.emulator.ephemerals, what="the notes list")[-1]
    stack.actor.click(lead, message=listing, action_id=ids.NOTE_REPLY)
    return lead, staff
