"""One reminder at most per pulse: same local working day, only when still unanswered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.pulse.respondents import respondent_key
from bot.pulse.schedule import reminder_due
from bot.pulse.sends import plan_for, preferences
from bot.workspace.config import WorkspaceConfig
from bot.workspace.people import language_of
from models import Person, PulseAnswer, PulseSend, Workspace

DEFAULT_REMINDER_AFTER = timedelta(hours=4)


@dataclass(frozen=True)
class ReminderClaim:
    """A reminder this run owns: where the pulse DM is."""

    send_id: int
    channel_id: str
    message_ts: str | None
    language: str = "en"  # the person's (bot/core/i18n.py)


def claim_reminders(
    session: Session,
    *,
    secret: str,
    workspace: Workspace,
    config: WorkspaceConfig,
    now: datetime,
    after: timedelta = DEFAULT_REMINDER_AFTER,
) -> list[ReminderClaim]:
    """Claim the reminders due at ``now`` (sets ``reminder_sent_at`` first: at most one each).

    Whether the person answered is checked under their own respondent key and
    never leaves this function.
    """
    rows = session.execute(
        select(PulseSend, Person)
        .join(Person, Person.id == PulseSend.person_id)
        .where(
            PulseSend.workspace_id == workspace.id,
            PulseSend.status == "sent",
            PulseSend.reminder_sent_at.is_(None),
            PulseSend.channel_id.is_not(None),
            PulseSend.scheduled_for.is_not(None),
            PulseSend.scheduled_for <= now - after,
            PulseSend.scheduled_for > now - timedelta(days=2),
            Person.active.is_(True),
        )
    ).all()
    candidates = list(rows)
    prefs = preferences(session, person_ids=[p.id for _, p in candidates])
    due: dict[tuple[str, date], PulseSend] = {}
    language = {person.id: language_of(person) for _, person in candidates}
    for send, person in candidates:
        plan = plan_for(person, prefs.get(person.id), config)
        if reminder_due(plan, send.pulse_date, now, after=after):
            key = respondent_key(
                secret, workspace.slack_team_id, person.slack_user_id, day=send.pulse_date
            )
            due[(key, send.pulse_date)] = send
    if not due:
        return []
    answered = set(
        session.execute(
            select(PulseAnswer.respondent_key, PulseAnswer.pulse_date).where(
                PulseAnswer.respondent_key.in_({key for key, _ in due}),
                PulseAnswer.pulse_date.in_({day for _, day in due}),
            )
        )
    )
    unanswered = [send for pair, send in due.items() if pair not in answered]
    if not unanswered:
        return []
    # One conditional UPDATE: a reminder another run claimed first no longer matches.
    won = set(
        session.scalars(
            update(PulseSend)
            .where(
                PulseSend.id.in_([send.id for send in unanswered]),
                PulseSend.reminder_sent_at.is_(None),
            )
            .values(reminder_sent_at=now)
            .returning(PulseSend.id)
            .execution_options(synchronize_session=False)
        )
    )
    return [
        ReminderClaim(send.id, send.channel_id, send.message_ts, language.get(send.person_id, "en"))
        for send in unanswered
        if send.id in won and send.channel_id
    ]


def record_reminder_ts(session: Session, *, send_id: int, ts: str) -> None:
    """Remember the reminder message, so it is deleted when the answer window closes."""
    session.execute(update(PulseSend).where(PulseSend.id == send_id).values(reminder_ts=ts))
