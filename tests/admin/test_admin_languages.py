"""An admin whose Slack locale is French, German, Spanish, Brazilian Portuguese or Japanese
goes through `/cx admin` over signed HTTP: the settings window, *Send me a test pulse*, the
webhook secret, *Add digest channel* (an inline error, then a channel added), the settings'
inline errors and the saved window. Every payload holds the exact wording written out below
and no English text from the catalog (a msgid the language words differently)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core import ids
from slack_emulator.webhooks import RESPONSE_CALL
from tests.support.admin import VALID, admin_config, open_admin
from tests.support.languages import LANGUAGE, english_left, texts
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view

# What the admin must read, written out here rather than read from the catalogs.
EXPECTED: dict[str, dict[str, list[str]]] = {
    "fr-FR": {
        "admin": [
            "Réglages CX Pulse",
            "Envoie-moi un pulse de test",
            "Langue de l'espace de travail",
            "Ajouter un canal récap",
            "Seuil d'anonymat",
        ],
        "digest": ["Ajouter un canal récap", "Fuseau horaire", "Lundi"],
        "tz error": [
            "Indique un nom de la base tz, par exemple Europe/London ou America/New_York."
        ],
        "added": ["Tout l'espace de travail · Mardi 09:00 Europe/Paris"],
        "errors": ["Au moins 3, sinon on pourrait deviner des réponses individuelles."],
        "saved": ["Enregistré."],
        "secret": ["Copie ce secret maintenant"],
    },
    "de-DE": {
        "admin": [
            "CX-Pulse-Einstellungen",
            "Schick mir einen Test-Pulse",
            "Workspace-Sprache",
            "Digest-Kanal hinzufügen",
            "Anonymitätsschwelle",
        ],
        "digest": ["Digest-Kanal hinzufügen", "Zeitzone", "Montag"],
        "tz error": [
            "Gib einen Namen aus der tz-Datenbank an, z. B. Europe/London oder America/New_York."
        ],
        "added": ["Ganzer Workspace · Dienstag 09:00 Europe/Paris"],
        "errors": ["Mindestens 3, sonst ließen sich einzelne Antworten erschließen."],
        "saved": ["Gespeichert."],
        "secret": ["Kopier dieses Secret jetzt"],
    },
    "es-ES": {
        "admin": [
            "Ajustes de CX Pulse",
            "Envíame un pulso de prueba",
            "Idioma del espacio de trabajo",
            "Añadir canal de resumen",
            "Umbral de anonimato",
        ],
        "digest": ["Añadir canal de resumen", "Zona horaria", "Lunes"],
        "tz error": [
            "Usa un nombre de la base de datos tz, como Europe/London o America/New_York."
        ],
        "added": ["Todo el espacio de trabajo · Martes 09:00 Europe/Paris"],
        "errors": ["Al menos 3, o se podrían deducir respuestas individuales."],
        "saved": ["Guardado."],
        "secret": ["Copia este secreto ahora"],
    },
    "pt-BR": {
        "admin": [
            "Configurações CX Pulse",
            "Me envie um pulso de teste",
            "Idioma do workspace",
            "Novo canal do resumo",
            "Limite de anonimato",
        ],
        "digest": ["Novo canal do resumo", "Fuso horário", "Segunda-feira"],
        "tz error": ["Use um nome da base tz, como Europe/London ou America/New_York."],
        "added": ["O workspace inteiro · Terça-feira 09:00 Europe/Paris"],
        "errors": ["No mínimo 3, senão dá para deduzir respostas individuais."],
        "saved": ["Salvo."],
        "secret": ["Copie este segredo agora"],
    },
    "ja-JP": {
        "admin": [
            "CX Pulseの設定",
            "テスト用パルスを送る",
            "ワークスペースの言語",
            "ダイジェスト用チャンネルを追加",
            "匿名性のしきい値",
        ],
        "digest": ["ダイジェスト用チャンネルを追加", "タイムゾーン", "月曜日"],
        "tz error": [
            "Europe/London や America/New_York のような tz データベースの名前を入力してください。"
        ],
        "added": ["ワークスペース全体 · 火曜日 09:00 Europe/Paris"],
        "errors": ["3以上にしてください。それより少ないと個々の回答が推測できてしまいます。"],
        "saved": ["保存しました。"],
        "secret": ["このシークレットを今すぐコピーしてください"],
    },
}


def assert_in_language(locale: str, surface: str, payload: Any) -> None:
    """``payload``: Block Kit, or inline errors keyed by block id."""
    shown = texts(payload) or [v for v in payload.values() if isinstance(v, str)]
    joined = "\n".join(shown)
    missing = [wanted for wanted in EXPECTED[locale][surface] if wanted not in joined]
    assert missing == [], f"{surface}: {missing} not in {joined[:3000]}"
    assert english_left(LANGUAGE[locale], shown) == [], surface


def _errors(answer: Any) -> dict[str, str]:
    assert answer.json is not None
    assert answer.json["response_action"] == "errors"
    errors: dict[str, str] = answer.json["errors"]
    return errors


@pytest.mark.parametrize("locale", sorted(EXPECTED))
def test_an_admin_reads_cx_admin_entirely_in_their_language(
    stack: SandboxStack, locale: str
) -> None:
    admin = str(stack.emulator.add_user(name="ada", is_admin=True, locale=locale)["id"])
    channel = stack.emulator.add_channel("weekly")
    stack.run_job("sync-users")  # the app learns the admin's Slack locale
    view = open_admin(stack, admin)
    assert_in_language(locale, "admin", view)

    # Send me a test pulse: the DM comes in the admin's language.
    stack.actor.click(admin, view=view, action_id=ids.ADMIN_TEST_PULSE)
    (posted,) = stack.emulator.wait_for("chat.postMessage")
    assert english_left(LANGUAGE[locale], [posted.args["text"], *texts(posted.args)]) == []

    # The webhook secret, shown once.
    stack.actor.click(admin, view=view, action_id=ids.ADMIN_OUTCOMES_SECRET)
    (secret,) = stack.emulator.wait_for("views.push")
    assert_in_language(locale, "secret", secret.args["view"])

    # Add digest channel: the pushed window, an inline error, then the channel added.
    stack.actor.click(admin, view=view, action_id=ids.ADMIN_DIGEST_ADD)
    stack.emulator.wait_for("views.push", count=2)
    child = open_view(stack.emulator, ids.ADMIN_DIGEST_VIEW)
    assert_in_language(locale, "digest", child)
    answers = {ids.DIGEST_CHANNEL: channel, ids.DIGEST_WEEKDAY: "1"}
    wrong = stack.actor.submit_view(admin, child, {**answers, ids.DIGEST_TIMEZONE: "Mars/Base"})
    assert_in_language(locale, "tz error", _errors(wrong))
    added = stack.actor.submit_view(admin, child, {**answers, ids.DIGEST_TIMEZONE: "Europe/Paris"})
    assert added.status == 200
    (updated,) = stack.emulator.wait_for("views.update")
    assert_in_language(locale, "admin", updated.args["view"])
    assert_in_language(locale, "added", updated.args["view"])

    # The settings' inline errors, then saved.
    bad = {**VALID, ids.ADMIN_THRESHOLD: "1", ids.ADMIN_VALUES: "not/a value"}
    errors = _errors(stack.actor.submit_view(admin, view, bad))
    assert set(errors) == {ids.ADMIN_THRESHOLD, ids.ADMIN_VALUES}
    assert_in_language(locale, "errors", errors)
    saved = stack.actor.submit_view(admin, view, VALID)
    assert saved.json is not None
    assert saved.json["response_action"] == "update"
    assert_in_language(locale, "saved", saved.json["view"])
    assert admin_config(stack).anonymity_threshold == 7
    assert stack.emulator.calls_to(RESPONSE_CALL) == []  # nothing went wrong out loud
