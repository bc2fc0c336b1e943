"""Whose pulse a click is about: the send named in a button, checked against the clicker."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.pulse.answers import own_note
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


def note_for_modal(
    session: Session, *, secret: str, team_id: str, user_id: str, send: PulseSend
) -> str | None:
    """The person's own note for ``send``'s day, to prefill the note modal."""
    key = respondent_key(secret, team_id, user_id, day=send.pulse_date)
    return own_note(session, key=key, day=send.pulse_date)
