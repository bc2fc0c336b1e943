"""The handled-request records behind replay and retry dedupe (both backends)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.once import request_key
from bot.core.web.handled import claim_request, purge_handled, release_request
from models import HandledRequest

TODAY = date(2026, 3, 2)


def test_a_key_is_claimed_once_until_released(session: Session) -> None:
    assert claim_request(session, key="view:V1:h1", today=TODAY)
    assert not claim_request(session, key="view:V1:h1", today=TODAY)
    assert claim_request(session, key="view:V1:h2", today=TODAY)  # the view changed
    release_request(session, key="view:V1:h1")
    assert claim_request(session, key="view:V1:h1", today=TODAY)


def test_old_records_are_purged(session: Session) -> None:
    claim_request(session, key="event:Ev1", today=date(2026, 2, 27))
    claim_request(session, key="event:Ev2", today=date(2026, 2, 28))
    assert purge_handled(session, today=TODAY) == 1
    [kept] = session.scalars(select(HandledRequest.key)).all()
    assert "Ev2" not in kept  # only a digest of the key is stored
    assert not claim_request(session, key="event:Ev2", today=TODAY)


def test_what_a_request_is_keyed_on() -> None:
    view = {"type": "view_submission", "view": {"id": "V1", "hash": "1.abc"}}
    assert request_key(view) == "view:V1:1.abc"
    assert request_key({"type": "event_callback", "event_id": "Ev9"}) == "event:Ev9"
    assert request_key({"type": "block_actions", "actions": []}) is None
