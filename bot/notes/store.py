"""Anonymous notes for leads, and replies that reach the author without naming them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from bot.core.disclosure import Audience, Figure, SurfaceAsk, last_closed_week, surface
from bot.core.weeks import iso_week_label
from bot.pulse.anonymity import respondent_key
from bot.workspace.store import active_people, find_person
from models import NoteReply, Person, PulseNote, Workspace

NOTES_WEEKS = 8
MAX_NOTES = 25


@dataclass(frozen=True)
class VisibleNote:
    """A note as a lead may see it: its text and week (its Monday), nothing else."""

    id: int
    week: date
    text: str


def lead_team_id(session: Session, *, workspace: Workspace, lead_user_id: str) -> int | None:
    """The team whose notes a lead sees (None: a lead outside any team sees every team)."""
    person = find_person(session, slack_team_id=workspace.slack_team_id, slack_user_id=lead_user_id)
    return person.team_id if person is not None else None


def _visible(
    *, workspace: Workspace, team_id: int | None, audience: Audience, now: datetime
) -> list[ColumnElement[bool]]:
    """Notes of closed weeks whose team-week has the gate's limit of distinct writers.

    Writers, not respondents: six answers and one note must not show that note. And
    never a week still open (the gate's rule: answers and notes for it may still
    arrive), or a lead polling would see a note appear and know when (so, with the
    team's calendar, who) wrote it.
    """
    last = last_closed_week(now)
    since = last - timedelta(weeks=NOTES_WEEKS - 1)
    groups = (
        select(PulseNote.team_id, PulseNote.week_start)
        .where(PulseNote.workspace_id == workspace.id, PulseNote.week_start >= since)
        .group_by(PulseNote.team_id, PulseNote.week_start)
        .having(func.count(func.distinct(PulseNote.respondent_key)) >= audience.limit)
        .subquery()
    )
    conditions: list[ColumnElement[bool]] = [
        PulseNote.workspace_id == workspace.id,
        PulseNote.week_start >= since,
        PulseNote.week_start <= last,
        select(groups.c.week_start)
        .where(
            groups.c.week_start == PulseNote.week_start,
            # NULL-safe team match: notes of people outside any team form their own group.
            func.coalesce(groups.c.team_id, 0) == func.coalesce(PulseNote.team_id, 0),
        )
        .exists(),
    ]
    if team_id is not None:
        conditions.append(PulseNote.team_id == team_id)
    return conditions


def visible_notes(
    session: Session,
    *,
    workspace: Workspace,
    team_id: int | None,
    audience: Audience,
    now: datetime,
) -> list[VisibleNote]:
    """Recent notes of groups at or above the limit: newest week first, by text within it."""
    query = (
        select(PulseNote.id, PulseNote.week_start, PulseNote.text)
        .where(*_visible(workspace=workspace, team_id=team_id, audience=audience, now=now))
        # Ordered by text inside a week, so the order says nothing about who answered when.
        .order_by(PulseNote.week_start.desc(), PulseNote.text)
        .limit(MAX_NOTES)
    )
    return [VisibleNote(i, w, t) for i, w, t in session.execute(query)]


def visible_note(
    session: Session,
    *,
    workspace: Workspace,
    note_id: int,
    team_id: int | None,
    audience: Audience,
    now: datetime,
) -> VisibleNote | None:
    """One note, only if this lead may see it now."""
    conditions = _visible(workspace=workspace, team_id=team_id, audience=audience, now=now)
    row = session.execute(
        select(PulseNote.id, PulseNote.week_start, PulseNote.text).where(
            PulseNote.id == note_id,
            *conditions,
        )
    ).first()
    return VisibleNote(row[0], row[1], row[2]) if row else None


def find_author(
    session: Session, *, workspace: Workspace, note_id: int, secret: str
) -> Person | None:
    """The active person whose respondent key wrote the note (server-side only; never shown)."""
    note = session.get(PulseNote, note_id)
    if note is None or note.workspace_id != workspace.id:
        return None
    for person in active_people(session, workspace=workspace):
        key = respondent_key(
            secret, workspace.slack_team_id, person.slack_user_id, day=note.week_start
        )
        if key == note.respondent_key:
            return person
    return None


def start_reply(
    session: Session, *, workspace: Workspace, note_id: int, lead_user_id: str, now: datetime
) -> NoteReply:
    """Record that a lead replied to a note (the author is not stored)."""
    reply = NoteReply(
        workspace_id=workspace.id, note_id=note_id, lead_user_id=lead_user_id, created_at=now
    )
    session.add(reply)
    session.flush()
    return reply


def start_reply_to_author(
    session: Session,
    *,
    workspace: Workspace,
    note_id: int,
    lead_user_id: str,
    secret: str,
    now: datetime,
) -> tuple[str, int] | None:
    """Record a lead's reply; (the author's user id, the reply id), or None if they left."""
    author = find_author(session, workspace=workspace, note_id=note_id, secret=secret)
    if author is None:
        return None
    reply = start_reply(
        session, workspace=workspace, note_id=note_id, lead_user_id=lead_user_id, now=now
    )
    return author.slack_user_id, reply.id


def reply_for_author(
    session: Session, *, workspace: Workspace, reply_id: int, user_id: str, secret: str
) -> tuple[NoteReply, VisibleNote] | None:
    """The reply and its note, only when ``user_id`` is the note's author."""
    reply = session.get(NoteReply, reply_id)
    if reply is None or reply.workspace_id != workspace.id:
        return None
    note = session.get(PulseNote, reply.note_id)
    if note is None:
        return None
    key = respondent_key(secret, workspace.slack_team_id, user_id, day=note.week_start)
    if key != note.respondent_key:
        return None
    return reply, VisibleNote(note.id, note.week_start, note.text)


def record_answer(session: Session, *, reply: NoteReply, now: datetime) -> None:
    """Count an author's answer back to a lead's reply."""
    reply.answers += 1
    reply.last_answer_at = now
    session.flush()


@surface("notes")
def notes_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """`/cx notes`: each listed team-week, its distinct writers and every note it may show.

    The whole team-week, not only the notes that fit in one listing: a note arriving
    later in a listed week is a change, whether or not it would make the first page.
    """
    workspace = session.get(Workspace, ask.workspace_id)
    assert workspace is not None
    listed = visible_notes(
        session, workspace=workspace, team_id=ask.team_id, audience=ask.audience, now=ask.now
    )
    ids = [n.id for n in listed]
    weeks = select(func.coalesce(PulseNote.team_id, 0), PulseNote.week_start).where(
        PulseNote.id.in_(ids)
    )
    out = []
    for team, week in sorted(set(session.execute(weeks))):
        same = (
            PulseNote.workspace_id == ask.workspace_id,
            PulseNote.week_start == week,
            func.coalesce(PulseNote.team_id, 0) == team,
        )
        writers = session.scalar(
            select(func.count(func.distinct(PulseNote.respondent_key))).where(*same)
        )
        texts = "|".join(sorted(session.scalars(select(PulseNote.text).where(*same))))
        out.append(
            Figure("notes", iso_week_label(week), str(team), "notes", int(writers or 0), texts)
        )
    return out
