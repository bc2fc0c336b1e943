"""One reminder at most per pulse: same local working day, only when still unanswered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.pulse.flags import REMINDED, SKIPPED, add_flags, flagged, traces
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
    """Claim the reminders due at ``now``: at most one each, only when still unanswered.

    Whether the person answered is checked under their own respondent key, whether they
    skipped or were reminded already under keyed traces (``bot.pulse.flags``); none of
    it is written beside the person. Storing the "reminded" trace is the claim.
    """
    rows = session.execute(
        select(PulseSend, Person)
        .join(Person, Person.id == PulseSend.person_id)
        .where(
            PulseSend.workspace_id == workspace.id,
            PulseSend.status == "sent",
            PulseSend.channel_id.is_not(None),
            PulseSend.scheduled_for.is_not(None),
            PulseSend.scheduled_for <= now - after,
            PulseSend.scheduled_for > now - timedelta(days=2),
            Person.active.is_(True),
        )
    ).all()
    candidates = list(rows)
    prefs = preferences(session, person_ids=[p.id for _, p in candidates])
    due: dict[tuple[str, date], tuple[PulseSend, str]] = {}
    language = {person.id: language_of(person) for _, person in candidates}
    for send, person in candidates:
        plan = plan_for(person, prefs.get(person.id), config)
        if reminder_due(plan, send.pulse_date, now, after=after):
            key = respondent_key(
                secret, workspace.slack_team_id, person.slack_user_id, day=send.pulse_date
            )
            due[(key, send.pulse_date)] = (send, person.slack_user_id)
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
    unanswered = {
        send.id: (user, send.pulse_date)
        for pair, (send, user) in due.items()
        if pair not in answered
    }
    skips = traces(secret, workspace.slack_team_id, unanswered, kind=SKIPPED)
    for trace in flagged(session, skips):
        del unanswered[skips[trace]]
    reminded = traces(secret, workspace.slack_team_id, unanswered, kind=REMINDED)
    if not reminded:
        return []
    # A reminder another run claimed first is already stored: this INSERT skips it.
    won = add_flags(
        session,
        workspace_id=workspace.id,
        rows={trace: unanswered[send_id][1] for trace, send_id in reminded.items()},
    )
    sends = {send.id: send for send, _ in due.values()}
    return [
        ReminderClaim(
            send_id,
            channel,
            sends[send_id].message_ts,
            language.get(sends[send_id].person_id, "en"),
        )
        for trace, send_id in reminded.items()
        if trace in won and (channel := sends[send_id].channel_id)
    ]
