""" "Skip today": a pulse day that is neither answered nor missed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.pulse.answers import is_open
from bot.pulse.respondents import respondent_key
from models import PulseAnswer, PulseSend

SKIPPED = "skipped"
SKIP_REASON = "skip_today"


def skip_day(
    session: Session, *, secret: str, team_id: str, user_id: str, send: PulseSend, now: datetime
) -> str:
    """Mark ``send``'s day skipped: "skipped", or why not ("answered", "closed").

    Nothing is recorded under the person's key. The send leaves the "sent" state, so no
    reminder goes, participation does not count the day, and the streak (which counts
    the days a pulse was sent) steps over it.
    """
    if not is_open(send, now):
        return "closed"
    key = respondent_key(secret, team_id, user_id, day=send.pulse_date)
    answered = session.scalar(
        select(PulseAnswer.id).where(
            PulseAnswer.respondent_key == key, PulseAnswer.pulse_date == send.pulse_date
        )
    )
    if answered is not None:
        return "answered"
    send.status = SKIPPED
    send.error = SKIP_REASON
    return SKIPPED
