"""Each celebrated person reads their DM in their own language; the channel post in the
workspace's (English unless set)."""

from __future__ import annotations

from sqlalchemy import select

from bot.core import ids
from models import Person
from tests.support.celebrations import Party
from tests.support.languages import english_left, texts


def test_a_french_colleague_reads_the_celebration_dm_in_french(party: Party) -> None:
    amelie = party.emulator.add_user(name="amelie", locale="fr-FR")["id"]
    party.stack.run_job("sync-users")
    text = f"celebrate <@{amelie}> <@{party.bob}> for turning ACME's outage into a renewal"
    assert party.stack.actor.slash_command(party.lead, text).status == 200
    party.emulator.wait_for(
        "chat.postMessage", lambda c: c.args["channel"].startswith("D"), count=2
    )
    party.drain()

    (french,) = party.dms(amelie)
    shown = [french["text"], *texts(french["blocks"])]
    joined = "\n".join(shown)
    assert "vient de te mettre à l'honneur dans" in joined, joined
    assert "*Pour :* turning ACME" in joined, joined
    assert english_left("fr", shown) == []

    (english,) = party.dms(party.bob)
    assert "You've just been celebrated by" in english["text"]
    (post,) = party.posts()
    assert f"Let's celebrate <@{amelie}> and <@{party.bob}>" in post["text"]


def test_a_french_non_lead_is_refused_in_french_and_a_german_lead_gets_it_in_german(
    party: Party,
) -> None:
    actor, emulator = party.stack.actor, party.emulator
    amelie = emulator.add_user(name="amelie", locale="fr-FR")["id"]
    party.stack.run_job("sync-users")
    with party.stack.runtime.transaction() as session:
        lead = session.scalars(select(Person).where(Person.slack_user_id == party.lead)).one()
        lead.language = "de"  # the lead chose German in /cx settings

    actor.slash_command(amelie, f"celebrate <@{party.alice}> for the calm handover")
    emulator.wait_for("response_url")
    [refusal] = [e for e in emulator.ephemerals if e["to_user"] == amelie]
    shown = [refusal["text"], *texts(refusal["blocks"])]
    assert "Proposer à un responsable" in shown
    assert english_left("fr", shown) == []

    actor.click(amelie, message=refusal, action_id=ids.CELEBRATE_SUGGEST)
    emulator.wait_for("chat.postMessage", lambda c: c.args["channel"].startswith("D"))
    [suggestion] = party.dms(party.lead)
    assert suggestion["text"] == f"💡 <@{amelie}> schlägt vor, <@{party.alice}> zu feiern."
    shown = [suggestion["text"], *texts(suggestion["blocks"])]
    assert "Feiern 🎉" in shown
    assert english_left("de", shown) == []
    replies = emulator.wait_for("response_url", count=2)
    assert replies[1].args["text"] == f"Merci ! Je l'ai proposé à <@{party.lead}>."


def test_the_celebrate_modal_opens_in_the_leads_language(party: Party) -> None:
    party.stack.run_job("sync-users")
    with party.stack.runtime.transaction() as session:
        lead = session.scalars(select(Person).where(Person.slack_user_id == party.lead)).one()
        lead.language = "fr"
    party.stack.actor.slash_command(party.lead, "celebrate")
    (opened,) = party.emulator.wait_for("views.open")
    view = opened.args["view"]
    assert view["title"]["text"] == "Célébrer une réussite"
    assert "Qui célèbre-t-on ?" in texts(view)
    assert english_left("fr", texts(view)) == []
