"""Deleting what is held: by age (retention: pulse answers, notes, extra answers and send
records older than the setting go) and on request (erasure: one person, everything held
about them and the person row, or a workspace).

Forget-me (bot/settings/store.py) deletes a person's answers but keeps them as a member so a
pause or opt-out holds. Erasure goes further: the person row goes too, and what other rows
say of them is cut loose. Only a keyed marker stays, so the hourly directory sync does not
add them back and send them pulses while they are still in Slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.insights.rollup import invalidate_weeks
from bot.pulse.anonymity import erasure_marker
from bot.settings.store import ForgetReport, forget_person
from models import (
    Celebration,
    CelebrationRecipient,
    CustomerOutcome,
    ErasedPerson,
    NoteReply,
    OutcomesSecret,
    Person,
    PulseAnswer,
    PulseExtraAnswer,
    PulseMonthlyAsked,
    PulseNote,
    PulseSend,
    PulseSendFlag,
    Workspace,
    WorkspaceSetting,
)
from models.installations import BOTS_TABLE, INSTALLATIONS_TABLE

# What stays where an erased person's Slack id or email was (a celebration they gave,
# a help-desk rating of their work): the row still counts, it names nobody.
ERASED = "erased"


@dataclass(frozen=True)
class PersonErasure:
    """What erasing one person removed or cut loose."""

    forgotten: ForgetReport
    celebrations_received: int
    celebrations_given: int
    outcomes_unlinked: int


def erase_person(
    session: Session,
    *,
    secret: str,
    workspace: Workspace,
    person: Person,
    today: date,
    now: datetime,
) -> PersonErasure:
    """Delete everything held about ``person``, then the person, leaving the erased marker."""
    team_id, user = workspace.slack_team_id, person.slack_user_id
    forgotten = forget_person(
        session, secret=secret, team_id=team_id, person=person, today=today, now=now
    )
    celebrated = list(
        session.scalars(
            select(CelebrationRecipient.celebration_id)
            .join(Celebration, Celebration.id == CelebrationRecipient.celebration_id)
            .where(
                Celebration.workspace_id == workspace.id, CelebrationRecipient.slack_user_id == user
            )
        )
    )
    received = session.execute(
        delete(CelebrationRecipient).where(
            CelebrationRecipient.slack_user_id == user,
            CelebrationRecipient.celebration_id.in_(celebrated),
        )
    )
    # A celebration of nobody but them was about them alone.
    session.execute(
        delete(Celebration).where(
            Celebration.id.in_(celebrated),
            ~select(CelebrationRecipient.id)
            .where(CelebrationRecipient.celebration_id == Celebration.id)
            .exists(),
        )
    )
    given = session.execute(
        update(Celebration)
        .where(Celebration.workspace_id == workspace.id, Celebration.celebrated_by == user)
        .values(celebrated_by=ERASED)
    )
    refs = [user, *([person.email] if person.email else [])]
    outcomes = session.execute(
        update(CustomerOutcome)
        .where(
            CustomerOutcome.workspace_id == workspace.id,
            (CustomerOutcome.person_id == person.id) | CustomerOutcome.agent_ref.in_(refs),
        )
        .values(agent_ref=ERASED, person_id=None)
    )
    session.execute(
        update(NoteReply)
        .where(NoteReply.workspace_id == workspace.id, NoteReply.lead_user_id == user)
        .values(lead_user_id=ERASED)
    )
    for model, column in (
        (WorkspaceSetting, WorkspaceSetting.updated_by),
        (OutcomesSecret, OutcomesSecret.created_by),
    ):
        session.execute(
            update(model)
            .where(model.workspace_id == workspace.id, column == user)
            .values({column: None})
        )
    # Moments they logged are the company's customer records: kept, with no author
    # (person_id is ON DELETE SET NULL), as are the story links they asked for.
    session.execute(delete(Person).where(Person.id == person.id))
    marker = erasure_marker(secret, team_id, user)
    if session.get(ErasedPerson, marker) is None:
        session.add(ErasedPerson(marker=marker, workspace_id=workspace.id))
    session.flush()
    return PersonErasure(
        forgotten=forgotten,
        celebrations_received=_rowcount(received),
        celebrations_given=_rowcount(given),
        outcomes_unlinked=_rowcount(outcomes),
    )


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class WorkspaceErasure:
    """What erasing a workspace removed."""

    people: int
    installations: int


def erase_workspace(session: Session, *, workspace: Workspace) -> WorkspaceErasure:
    """Delete the workspace with every row that hangs off it, and its stored Slack tokens."""
    people = session.scalar(
        select(func.count()).select_from(Person).where(Person.workspace_id == workspace.id)
    )
    team = workspace.slack_team_id
    installs = session.execute(
        delete(INSTALLATIONS_TABLE).where(INSTALLATIONS_TABLE.c.team_id == team)
    )
    session.execute(delete(BOTS_TABLE).where(BOTS_TABLE.c.team_id == team))
    # Every table of ours hangs off workspace with ON DELETE CASCADE.
    session.execute(delete(Workspace).where(Workspace.id == workspace.id))
    session.flush()
    return WorkspaceErasure(people=int(people or 0), installations=_rowcount(installs))


@dataclass(frozen=True)
class PurgeReport:
    """How many rows a purge removed, per kind."""

    answers: int
    notes: int
    extra_answers: int
    sends: int = 0
    traces: int = 0


def purge_before(session: Session, *, workspace: Workspace, cutoff: date) -> PurgeReport:
    """Delete ``workspace``'s answers, notes and extra answers from days before ``cutoff``.

    Aggregates already reported (digests sent, exports made) are separate rows or
    files and are not touched; the rollup of the weeks it empties is dropped (and
    refilled from what is left), so later digests count only answers still kept.
    """
    purged_weeks = session.scalars(
        select(PulseAnswer.week_start)
        .distinct()
        .where(
            PulseAnswer.workspace_id == workspace.id,
            PulseAnswer.week_start < cutoff,
            PulseAnswer.pulse_date < cutoff,
        )
    )
    invalidate_weeks(session, workspace_id=workspace.id, weeks=list(purged_weeks))
    counts = []
    for model in (PulseAnswer, PulseNote, PulseExtraAnswer):
        result = session.execute(
            delete(model).where(model.workspace_id == workspace.id, model.pulse_date < cutoff)
        )
        counts.append(int(getattr(result, "rowcount", 0) or 0))
    # Who was asked which day, and who got a monthly question, go with the answers.
    sends = session.execute(
        delete(PulseSend).where(
            PulseSend.workspace_id == workspace.id, PulseSend.pulse_date < cutoff
        )
    )
    # Flags normally go when their window closes; any left behind go with their sends.
    session.execute(
        delete(PulseSendFlag).where(
            PulseSendFlag.workspace_id == workspace.id, PulseSendFlag.pulse_date < cutoff
        )
    )
    traces = session.execute(
        delete(PulseMonthlyAsked).where(
            PulseMonthlyAsked.workspace_id == workspace.id,
            PulseMonthlyAsked.month < cutoff.replace(day=1),
        )
    )
    session.flush()
    return PurgeReport(
        answers=counts[0],
        notes=counts[1],
        extra_answers=counts[2],
        sends=int(getattr(sends, "rowcount", 0) or 0),
        traces=int(getattr(traces, "rowcount", 0) or 0),
    )


def retention_cutoff(today: date, retention_days: int) -> date:
    """The first pulse day still kept when ``retention_days`` days are kept."""
    return today - timedelta(days=max(retention_days, 1))
