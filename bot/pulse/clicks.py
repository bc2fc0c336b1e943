"""Whose pulse a click is about: the send named in a button, checked against the clicker."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.pulse.answers import DayState, day_state, streak_for
from bot.pulse.respondents import respondent_key
from models import Person, PulseSend, Workspace


class ClickRefused(Exception):
    """A click that records nothing: ``reason`` is "unknown", "not_yours" or "closed"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Built once: a tap runs this, and building the statement costs more than running it.
_CLICK_SEND = (
    select(PulseSend, Person.slack_user_id, Workspace.slack_team_id)
    .join(Person, Person.id == PulseSend.person_id)
    .join(Workspace, Workspace.id == PulseSend.workspace_id)
    .where(PulseSend.id == bindparam("send_id"))
)


def find_click_send(session: Session, *, team_id: str, user_id: str, send_id: str) -> PulseSend:
    """The send a button names, if it is this user's in this workspace; else ClickRefused."""
    if not send_id.isdigit():
        raise ClickRefused("unknown")
    row = session.execute(_CLICK_SEND, {"send_id": int(send_id)}).first()
    if row is None:
        raise ClickRefused("unknown")
    send, owner, owner_team = row
    if owner != user_id or owner_team != team_id:
        raise ClickRefused("not_yours")
    return send


@dataclass(frozen=True)
class DmState:
    """What the person's pulse DM should show now."""

    send: PulseSend
    day: DayState
    streak: int


def dm_state(
    session: Session, *, secret: str, team_id: str, user_id: str, send: PulseSend
) -> DmState:
    """The person's own answers for ``send``'s day and their streak (for re-rendering the DM)."""
    key = respondent_key(secret, team_id, user_id)
    day = day_state(session, key=key, send=send)
    streak = streak_for(session, person_id=send.person_id, key=key, as_of=send.pulse_date)
    return DmState(send=send, day=day, streak=streak)
