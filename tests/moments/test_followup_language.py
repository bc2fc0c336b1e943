"""The follow-up reminder and the dates of moment lines, in the reader's language.

A person with a Slack locale logs a moment with a follow-up through the modal; the
confirmation, App Home and the `/cx customer` timeline show its dates the language's way;
the `followups` job DMs the reminder and its *Done* button in their language, and the
replies to *Done* (theirs and a colleague's) are in each clicker's language.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core import ids
from tests.support.languages import LANGUAGE, LOCALES, OTHER, english_left, texts
from tests.support.moments import opened_view, valid_values
from tests.support.stack import SandboxStack

AT_NINE = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # 09:00 in New York

# The moment happened on 2026-03-01; its follow-up is due on 2026-03-09.
EXPECTED: dict[str, dict[str, str]] = {
    "fr-FR": {
        "happened": "1 mars 2026",
        "remind": "Je te rappellerai de relancer le 9 mars 2026",
        "reminder": (
            "Il est temps de boucler la boucle avec Globex — un petit mot de remerciement ?"
        ),
        "logged": "Le 1 mars 2026, tu as noté :",
        "done button": "Fait",
        "done": "✅ Boucle bouclée. Merci pour le suivi !",
        "not yours": "Seule la personne qui a enregistré ce moment peut clore son suivi.",
    },
    "de-DE": {
        "happened": "1. März 2026",
        "remind": "Ich erinnere dich am 9. März 2026 ans Nachfassen",
        "reminder": "Zeit, die Sache mit Globex abzuschließen – vielleicht ein kurzes Dankeschön?",
        "logged": "Am 1. März 2026 hast du festgehalten:",
        "done button": "Erledigt",
        "done": "✅ Erledigt. Danke fürs Nachfassen!",
        "not yours": "Nur wer diesen Moment festgehalten hat, kann das Nachfassen abschließen.",
    },
    "es-ES": {
        "happened": "1 mar 2026",
        "remind": "Te recordaré hacer seguimiento el 9 mar 2026",
        "reminder": "Es hora de cerrar el ciclo con Globex: ¿una nota de agradecimiento?",
        "logged": "El 1 mar 2026 registraste:",
        "done button": "Hecho",
        "done": "✅ Ciclo cerrado. ¡Gracias por hacer el seguimiento!",
        "not yours": "Solo quien registró este momento puede cerrar su seguimiento.",
    },
    "pt-BR": {
        "happened": "1 de mar. de 2026",
        "remind": "Vou te lembrar de retomar o contato em 9 de mar. de 2026",
        "reminder": "Hora de fechar o ciclo com Globex — que tal uma mensagem de agradecimento?",
        "logged": "Em 1 de mar. de 2026 você registrou:",
        "done button": "Feito",
        "done": "✅ Ciclo fechado. Valeu por retomar o contato!",
        "not yours": "Só quem registrou este momento pode encerrar o retorno.",
    },
    "ja-JP": {
        "happened": "2026年3月1日",
        "remind": "2026年3月9日 にフォローアップのリマインドをお送りします",
        "reminder": "Globex とのフォローアップの時間です。お礼のメッセージを送りませんか?",
        "logged": "2026年3月1日 に記録した内容:",
        "done button": "完了",
        "done": "✅ フォローアップ完了です。ありがとうございました!",
        "not yours": "フォローアップを完了にできるのは、このひとこまを記録した方だけです。",
    },
}


def _shown(payload: dict[str, Any]) -> list[str]:
    return [str(payload.get("text", "")), *texts(payload.get("blocks", []))]


def _check(locale: str, shown: list[str], *wanted: str) -> None:
    joined = "\n".join(shown)
    missing = [w for w in wanted if w not in joined]
    assert missing == [], f"{missing} not in {joined}"
    assert "2026-03-0" not in joined  # dates are the language's, not ISO
    assert english_left(LANGUAGE[locale], shown) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_followup_reminder_and_moment_dates_are_in_the_readers_language(
    stack: SandboxStack, locale: str
) -> None:
    said = EXPECTED[locale]
    user = stack.emulator.add_user(name="kim", tz="America/New_York", locale=locale)["id"]
    colleague = stack.emulator.add_user(name="sam", locale=OTHER[locale])["id"]
    stack.run_job("sync-users")
    stack.actor.slash_command(user, "moment")
    values = valid_values(**{ids.MOMENT_FOLLOWUP: "2026-03-09"})
    assert stack.actor.submit_view(user, opened_view(stack), values).json is None
    (confirmation,) = stack.emulator.wait_for("chat.postEphemeral")
    _check(locale, _shown(confirmation.args), f", {said['happened']}", said["remind"])

    stack.actor.app_home_opened(user)
    (home,) = stack.emulator.wait_for("views.publish")
    home_lines = texts(home.args["view"])
    assert any(f", {said['happened']}" in line for line in home_lines), home_lines
    assert "2026-03-01" not in json.dumps(home.args["view"])

    timeline = stack.actor.slash_command(user, "customer globex")
    assert timeline.json is not None
    _check(locale, _shown(timeline.json), f"*{said['happened']}* · ")

    assert stack.run_job("followups", at=AT_NINE)[stack.emulator.team_id]["sent"] == 1
    reminder = stack.actor.latest_message(stack.actor.dm_of(user))
    shown = _shown(reminder)
    _check(locale, shown, said["logged"])
    assert reminder["text"] == said["reminder"]
    assert f"⏰ {said['reminder'].replace('Globex', '*Globex*')}" in "\n".join(shown)
    assert said["done button"] in shown

    stack.actor.click(colleague, message=reminder, action_id=ids.FOLLOWUP_DONE)
    (refused,) = stack.emulator.wait_for("response_url")
    assert refused.args["text"] == EXPECTED[OTHER[locale]]["not yours"]
    stack.actor.click(user, message=reminder, action_id=ids.FOLLOWUP_DONE)
    stack.emulator.wait_for("response_url", count=2)
    closed = stack.actor.latest_message(stack.actor.dm_of(user))
    assert closed["text"] == said["done"]
    assert english_left(LANGUAGE[locale], _shown(closed)) == []
