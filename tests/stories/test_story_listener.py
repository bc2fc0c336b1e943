"""The "Ask the customer to tell it" button through ``app.dispatch(BoltRequest)``: no server."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core import ids
from bot.stories.links import token_hash
from models import CustomerMoment, CustomerStory
from tests.support.dispatch import DispatchedApp
from tests.support.moments import opened_view, valid_values
from tests.support.stories import LINK

pytestmark = pytest.mark.stack(public_url="https://cx.example.test")


def test_the_ask_button_on_a_logged_moment_makes_one_link_for_that_moment(
    dispatched: DispatchedApp,
) -> None:
    user = dispatched.emulator.add_user(name="ada")["id"]
    dispatched.actor.slash_command(user, "moment")
    dispatched.actor.submit_view(user, opened_view(dispatched), valid_values())
    dispatched.emulator.wait_for("chat.postEphemeral")
    confirmation = [m for m in dispatched.emulator.ephemerals if m.get("to_user") == user][-1]

    answer = dispatched.actor.click(user, message=confirmation, action_id=ids.STORY_ASK)
    dispatched.drain()

    assert answer.status == 200
    (posted,) = dispatched.emulator.calls_to("response_url")
    assert posted.args["response_type"] == "ephemeral"
    found = LINK.search(str(posted.args))
    assert found, posted.args
    assert "https://cx.example.test/story/" in str(posted.args)
    with dispatched.runtime.sessions() as session:
        moment = session.scalars(select(CustomerMoment)).one()
        story = session.scalars(select(CustomerStory)).one()
        assert story.moment_id == moment.id
        assert story.token_hash == token_hash(found.group(1))
        assert story.submitted_at is None
