"""What is held about one person, for their access request (`cxpulse person export USER`).

Answers, notes and second answers carry no person, only keys that change every week and
month: they are found by computing the person's own keys over the period answers are
kept, exactly as forget-me does. Nothing else is selected by key, so nobody else's
answer can appear. Customers' names and comments are other people's data and stay out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings.store import person_keys
from models import (
    Celebration,
    CelebrationRecipient,
    Customer,
    CustomerMoment,
    CustomerOutcome,
    CustomerStory,
    NoteReply,
    Person,
    PulseAnswer,
    PulseExtraAnswer,
    PulseNote,
    PulsePreference,
    PulseSend,
    Team,
    Workspace,
)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _person(session: Session, person: Person, workspace: Workspace) -> dict[str, Any]:
    team = session.get(Team, person.team_id) if person.team_id else None
    return {
        "workspace": workspace.slack_team_id,
        "slack_user_id": person.slack_user_id,
        "display_name": person.display_name,
        "email": person.email,
        "time_zone": person.tz,
        "team": team.name if team else None,
        "is_admin": person.is_admin,
        "active": person.active,
        "dm_error": person.dm_error,
        "updated_at": _iso(person.updated_at),
    }


def _preferences(session: Session, person: Person) -> dict[str, Any] | None:
    pref = session.get(PulsePreference, person.id)
    if pref is None:
        return None
    return {
        "pulse_time": pref.pulse_time.isoformat() if pref.pulse_time else None,
        "working_days": pref.working_days,
        "paused_until": _iso(pref.paused_until),
        "opted_out": pref.opted_out,
        "forgotten_on": _iso(pref.forgotten_on),
    }


def _answers(session: Session, weekly: list[str], monthly: list[str]) -> dict[str, Any]:
    answers = session.scalars(
        select(PulseAnswer)
        .where(PulseAnswer.respondent_key.in_(weekly))
        .order_by(PulseAnswer.pulse_date)
    )
    notes = session.scalars(
        select(PulseNote).where(PulseNote.respondent_key.in_(weekly)).order_by(PulseNote.pulse_date)
    )
    extra = session.scalars(
        select(PulseExtraAnswer)
        .where(PulseExtraAnswer.respondent_key.in_(weekly + monthly))
        .order_by(PulseExtraAnswer.pulse_date, PulseExtraAnswer.question_key)
    )
    return {
        "pulse_answers": [{"day": _iso(a.pulse_date), "score": a.score} for a in answers],
        "notes": [{"day": _iso(n.pulse_date), "text": n.text} for n in notes],
        "second_answers": [
            {"day": _iso(e.pulse_date), "question": e.question_key, "value": e.value} for e in extra
        ],
    }


def _moments(session: Session, person: Person) -> list[dict[str, Any]]:
    rows = session.execute(
        select(CustomerMoment, Customer.name)
        .join(Customer, Customer.id == CustomerMoment.customer_id)
        .where(CustomerMoment.person_id == person.id)
        .order_by(CustomerMoment.happened_on, CustomerMoment.id)
    )
    return [
        {
            "id": m.id,
            "customer": name,
            "happened_on": _iso(m.happened_on),
            "touchpoint": m.touchpoint,
            "outcome": m.outcome,
            "what_happened": m.what_happened,
            "backstory": m.backstory,
            "csat": m.csat,
            "followup_on": _iso(m.followup_on),
            "logged_at": _iso(m.created_at),
        }
        for m, name in rows
    ]


def _celebrations(session: Session, workspace: Workspace, user: str) -> dict[str, Any]:
    def shown(c: Celebration) -> dict[str, Any]:
        return {
            "id": c.id,
            "reason": c.reason,
            "by": c.celebrated_by,
            "people": sorted(r.slack_user_id for r in c.recipients),
            "at": _iso(c.created_at),
        }

    mine = select(Celebration).where(Celebration.workspace_id == workspace.id)
    given = session.scalars(mine.where(Celebration.celebrated_by == user).order_by(Celebration.id))
    received = session.scalars(
        mine.join(CelebrationRecipient, CelebrationRecipient.celebration_id == Celebration.id)
        .where(CelebrationRecipient.slack_user_id == user)
        .order_by(Celebration.id)
    )
    return {"given": [shown(c) for c in given], "received": [shown(c) for c in received]}


def person_record(
    session: Session, *, secret: str, workspace: Workspace, person: Person, today: date
) -> dict[str, Any]:
    """Everything held about ``person`` as plain JSON-ready data."""
    weekly, monthly, _ = person_keys(
        session, secret=secret, team_id=workspace.slack_team_id, person=person, today=today
    )
    sends = session.scalars(
        select(PulseSend).where(PulseSend.person_id == person.id).order_by(PulseSend.pulse_date)
    )
    outcomes = session.scalars(
        select(CustomerOutcome)
        .where(CustomerOutcome.person_id == person.id)
        .order_by(CustomerOutcome.happened_on, CustomerOutcome.id)
    )
    stories = session.scalars(
        select(CustomerStory)
        .where(CustomerStory.requested_by_id == person.id)
        .order_by(CustomerStory.id)
    )
    replies = session.scalars(
        select(NoteReply)
        .where(
            NoteReply.workspace_id == workspace.id, NoteReply.lead_user_id == person.slack_user_id
        )
        .order_by(NoteReply.id)
    )
    return {
        "person": _person(session, person, workspace),
        "pulse_preferences": _preferences(session, person),
        **_answers(session, weekly, monthly),
        "pulses_sent": [{"day": _iso(s.pulse_date), "status": s.status} for s in sends],
        "moments_logged": _moments(session, person),
        "celebrations": _celebrations(session, workspace, person.slack_user_id),
        "customer_ratings_of_their_work": [
            {"day": _iso(o.happened_on), "kind": o.kind, "score": o.score, "source": o.source}
            for o in outcomes
        ],
        "story_links_requested": [
            {
                "moment_id": s.moment_id,
                "created_at": _iso(s.created_at),
                "told": s.submitted_at is not None,
            }
            for s in stories
        ],
        "note_replies_sent": [{"at": _iso(r.created_at), "answers": r.answers} for r in replies],
    }
