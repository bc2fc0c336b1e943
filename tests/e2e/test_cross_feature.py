"""Features meeting each other: a logged win celebrated through the button the app posted."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.core import ids
from models import CustomerMoment
from tests.support.celebrations import Party
from tests.support.moments import opened_view, valid_values


def test_a_leads_win_moment_is_celebrated_from_its_confirmation(party: Party) -> None:
    actor, emulator = party.stack.actor, party.emulator
    actor.slash_command(party.lead, "moment")
    view = opened_view(party.stack)
    story = "Rebuilt their onboarding plan with them <!here>"
    reply = actor.submit_view(party.lead, view, valid_values(**{ids.MOMENT_WHAT: story}))
    assert reply.status == 200
    confirmation = emulator.wait_for(
        "chat.postEphemeral", lambda c: c.args.get("user") == party.lead
    )[0]
    [message] = [e for e in emulator.ephemerals if e.get("to_user", e.get("user")) == party.lead]
    assert "<!here>" not in json.dumps(confirmation.args)

    actor.click(party.lead, message=message, action_id=ids.CELEBRATE_MOMENT)
    emulator.wait_for("views.open", count=2)
    [celebrate_view] = [
        v for v in emulator.open_views.values() if v["callback_id"] == ids.CELEBRATE_MODAL
    ]
    actor.submit_view(
        party.lead,
        celebrate_view,
        {ids.CELEBRATE_PEOPLE_BLOCK: [party.alice], ids.CELEBRATE_VALUES_BLOCK: ["customerfirst"]},
    )
    emulator.wait_for("reactions.add")
    party.drain()

    [post] = party.posts()
    shown = json.dumps(post["blocks"], ensure_ascii=False)
    assert "Globex" in shown
    assert "<!here>" not in post["text"] + shown
    with party.stack.runtime.sessions() as session:
        moment_id = session.scalars(select(CustomerMoment.id)).one()
    [celebration] = party.celebrations()
    assert celebration.moment_id == moment_id
    assert [r.slack_user_id for r in celebration.recipients] == [party.alice]


def test_a_non_lead_win_has_no_celebrate_button(party: Party) -> None:
    actor, emulator = party.stack.actor, party.emulator
    actor.slash_command(party.carol, "moment")
    view = opened_view(party.stack)
    actor.submit_view(party.carol, view, valid_values())
    emulator.wait_for("chat.postEphemeral", lambda c: c.args.get("user") == party.carol)
    party.drain()
    [message] = [e for e in emulator.ephemerals if e.get("to_user", e.get("user")) == party.carol]
    assert ids.CELEBRATE_MOMENT not in json.dumps(message.get("blocks", []))
