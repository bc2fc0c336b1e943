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
    assert "✅ Enregistré : 🏆 Réussite avec *Globex* · Assistance, 2026-03-01" in shown
    assert "💬 Demander au client de la raconter" in shown
    assert english_left("fr", shown) == []
