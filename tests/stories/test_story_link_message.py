"""The story-link message in Slack is in the asker's language (Slack locale fr-FR): the
link's heading, how to use it, the missing-public-address warning, Revoke and its reply."""

from __future__ import annotations

from bot.core import ids
from tests.support.languages import english_left, texts
from tests.support.stack import SandboxStack
from tests.support.stories import ask_for_link, log_a_moment


def test_a_french_asker_reads_the_link_message_and_revokes_it_in_french(
    stack: SandboxStack,
) -> None:
    user = stack.emulator.add_user(name="lea", locale="fr-FR")["id"]
    stack.run_job("sync-users")
    confirmation = log_a_moment(stack, user)
    token = ask_for_link(stack, user, confirmation)
    posted = stack.emulator.responses[-1]
    assert token in str(posted.body["blocks"])
    shown = [*texts(posted.body["blocks"]), posted.body["text"]]
    joined = "\n".join(shown)
    assert "*Son histoire, avec ses mots*" in joined
    assert "Colle ce lien dans ton propre e-mail" in joined
    assert "n'a pas encore d'adresse publique" in joined
    assert "Révoquer le lien" in shown
    assert english_left("fr", shown) == []

    link_message = {
        **posted.body,
        "ts": "1772438400.000200",
        "channel": stack.emulator.general_channel().id,
        "is_ephemeral": True,
    }
    stack.actor.click(user, message=link_message, action_id=ids.STORY_REVOKE)
    revoked = stack.emulator.wait_for("response_url", count=2)[-1]
    assert revoked.args["text"] == "🔒 Lien révoqué : il ne s'ouvre plus."
