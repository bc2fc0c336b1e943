"""Each celebrated person reads their DM in their own language; the channel post in the
workspace's (English unless set)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.celebrations import Party, start_party
from tests.support.languages import english_left, texts


@pytest.fixture
def party(db_url: str) -> Iterator[Party]:
    with start_party(db_url) as running:
        yield running


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
