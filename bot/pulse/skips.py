""" "Skip today": a pulse day that is neither answered nor missed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.pulse.answers import is_open
from bot.pulse.flags import SKIPPED, add_flags
from bot.pulse.respondents import respondent_key, send_flag_trace
from models import PulseAnswer, PulseSend


def skip_day(
    session: Session, *, secret: str, team_id: str, user_id: str, send: PulseSend, now: datetime
) -> str:
    """Mark ``send``'s day skipped: "skipped", or why not ("answered", "closed").

    Nothing is recorded under the person's key, nor on their send row: the skip is a
    keyed trace (``bot.pulse.flags``), so a dump cannot tell it from an answered day. No
    reminder goes, the streak steps over the day, and when the window closes the send
    goes altogether, so participation does not count the day.
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
    trace = send_flag_trace(secret, team_id, user_id, day=send.pulse_date, kind=SKIPPED)
    add_flags(session, workspace_id=send.workspace_id, rows={trace: send.pulse_date})
    return SKIPPED
