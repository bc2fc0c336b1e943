"""A French-speaking person logs a customer moment: the modal, its inline errors and the
confirmation are all in French (their Slack locale, learned at sync)."""

from __future__ import annotations

from bot.core import ids
from tests.support.languages import english_left, texts
from tests.support.moments import counts, opened_view, valid_values
from tests.support.stack import SandboxStack


def test_the_moment_modal_its_errors_and_the_confirmation_are_in_french(
    stack: SandboxStack,
) -> None:
    user = stack.emulator.add_user(name="lea", tz="Europe/Paris", locale="fr-FR")["id"]
    stack.run_job("sync-users")
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    assert (view["title"]["text"], view["submit"]["text"]) == (
        "Noter un moment client",
        "Enregistrer",
    )
    shown = texts(view)
    assert "Point de contact" in shown
    assert "Quand est-ce arrivé ?" in shown
    assert "🏆 Réussite" in shown
    assert english_left("fr", shown) == []

    future = stack.actor.submit_view(
        user, view, valid_values(**{ids.MOMENT_WHEN: "2026-03-09", ids.MOMENT_CSAT: 7})
    )
    assert future.json is not None
    assert future.json["errors"] == {
        ids.MOMENT_WHEN: "Date : cette date est dans le futur.",
        ids.MOMENT_CSAT: "CSAT : un nombre entier de 1 à 5, ou laisse vide.",
    }
    long_story = stack.actor.submit_view(user, view, valid_values(**{ids.MOMENT_WHAT: "x" * 3001}))
    assert long_story.json is not None
    assert long_story.json["errors"] == {
        ids.MOMENT_WHAT: (
            "Ce qui s'est passé : reste sous les 3\u202f000 caractères (là, il y en a 3\u202f001)."
        )
    }
    assert counts(stack) == (0, 0)

    stack.actor.submit_view(user, view, valid_values())
    (confirmation,) = stack.emulator.wait_for("chat.postEphemeral")
    shown = [*texts(confirmation.args["blocks"]), confirmation.args["text"]]
    assert confirmation.args["text"] == "Réussite avec Globex enregistrée."
    assert "✅ Enregistré : 🏆 Réussite avec *Globex* · Assistance, 1 mars 2026" in shown
    assert "💬 Demander au client de la raconter" in shown
    assert english_left("fr", shown) == []


def _log_as(stack: SandboxStack, user: str, count: int) -> None:
    """``count`` moments with Globex logged by ``user`` through the modal, as Slack sends it."""
    for n in range(1, count + 1):
        stack.actor.slash_command(user, "moment")
        view = opened_view(stack, n)
        outcome = "win" if n % 2 else "problem"
        values = valid_values(**{ids.MOMENT_OUTCOME: outcome, ids.MOMENT_CSAT: 1 + n % 5})
        stack.actor.submit_view(user, view, values)
        stack.emulator.wait_for("chat.postEphemeral", count=n)


def test_the_customer_timeline_and_its_replies_are_in_french(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="lea", tz="Europe/Paris", locale="fr-FR")["id"]
    stack.run_job("sync-users")
    _log_as(stack, user, 6)

    reply = stack.actor.slash_command(user, "customer globex")
    assert reply.json is not None
    shown = [*texts(reply.json["blocks"]), reply.json["text"]]
    assert "6 moments · 🏆 3 réussites · 😐 0 neutre · ⚠️ 3 problèmes · CSAT moyen 2,8/5" in shown
    assert "1 à 5 sur 6, du plus récent au plus ancien." in shown
    assert any(
        f"· ⚠️ Problème · Assistance · CSAT 2/5 · enregistré par <@{user}>" in s for s in shown
    )
    assert english_left("fr", shown) == []

    message = {
        "blocks": reply.json["blocks"],
        "ts": "1772438400.000100",
        "channel": stack.emulator.general_channel().id,
        "is_ephemeral": True,
    }
    stack.actor.click(user, message=message, action_id=ids.CUSTOMER_MORE)
    (more,) = stack.emulator.wait_for("response_url")
    shown = [*texts(more.args["blocks"]), more.args["text"]]
    assert "6 à 6 sur 6, du plus récent au plus ancien." in shown
    assert english_left("fr", shown) == []

    unknown = stack.actor.slash_command(user, "customer Glombex")
    assert unknown.json is not None
    shown = [*texts(unknown.json["blocks"]), unknown.json["text"]]
    assert shown[0].startswith("Je ne connais pas de client nommé *Glombex*.")
    assert "Tu voulais dire *Globex* ?" in shown[0]
    usage = stack.actor.slash_command(user, "customer")
    assert usage.json is not None
    shown += [*texts(usage.json["blocks"]), usage.json["text"]]
    assert "Clients récents : *Globex*" in shown[-2]
    assert english_left("fr", shown) == []
