"""A person reads the whole daily-pulse journey in their Slack language, over both transports.

Their Slack locale is set in the emulator's user data; the app learns it from users.list
(include_locale) at sync. They get the pulse, tap the face the app posted, read the
confirmation, open `/cx settings`, `/cx help` (and an unknown word) and App Home. Each
payload must hold the exact translated wording, and no English message text from the
catalog (a msgid the language translates differently) may be left in it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from models import Person, PulseAnswer
from slack_emulator.webhooks import RESPONSE_CALL
from tests.support.dm_taps import dm_event
from tests.support.fixtures import TRANSPORTS
from tests.support.languages import LANGUAGE, english_left, texts
from tests.support.pulse import PULSE_AT
from tests.support.stack import SandboxStack

# Each journey twice: over signed HTTP and over Socket Mode.
over_both = pytest.mark.parametrize("stack", TRANSPORTS, indirect=True)

# What each person must read, written out here rather than read from the catalogs.
EXPECTED: dict[str, dict[str, list[str]]] = {
    "fr-FR": {
        "pulse": ["*Comment s'est passée ta journée ?*", "Passer aujourd'hui", "4 sur 5, bien"],
        "tap": ["Merci, c'est noté ! Tu peux changer ta réponse aujourd'hui"],
        "settings": ["Réglages du pulse", "Heure du pulse", "Jours de travail", "Lundi"],
        "help": ["afficher cette aide", "mettre ton pulse quotidien en pause"],
        "unknown": ["Je ne connais pas encore `bonjour`. Voici ce que je sais faire :"],
        "home": [
            "Ton pulse",
            "*30 derniers jours :*",
            "🔥 Série : 1 jour",
            "Noter un moment client",
        ],
    },
    "de-DE": {
        "pulse": ["*Wie war dein Tag?*", "Heute auslassen", "4 von 5, gut"],
        "tap": ["Danke, ist angekommen!"],
        "settings": ["Pulse-Einstellungen", "Pulse-Uhrzeit", "Arbeitstage", "Montag"],
        "help": ["diese Hilfe anzeigen", "deinen täglichen Pulse pausieren"],
        "unknown": ["`bonjour` kenne ich noch nicht. Das kann ich:"],
        "home": ["Dein Pulse", "*Letzte 30 Tage:*", "🔥 Serie: 1 Tag", "Kundenmoment festhalten"],
    },
    "es-ES": {
        "pulse": ["*¿Qué tal tu día?*", "Saltar hoy", "4 de 5, bien"],
        "tap": ["¡Gracias, recibido!"],
        "settings": ["Ajustes del pulso", "Hora del pulso", "Días laborables", "Lunes"],
        "help": ["mostrar esta ayuda", "pausar tu pulso diario"],
        "unknown": ["Todavía no conozco `bonjour`. Esto es lo que puedo hacer:"],
        "home": ["Tu pulso", "*Últimos 30 días:*", "🔥 Racha: 1 día", "Registrar un momento"],
    },
    "pt-BR": {
        "pulse": ["*Como foi o seu dia?*", "Pular hoje", "4 de 5, bom"],
        "tap": ["Valeu, anotado!"],
        "settings": ["Configurações", "Horário do pulso", "Dias de trabalho", "Segunda-feira"],
        "help": ["mostrar esta ajuda", "pausar seu pulso diário"],
        "unknown": ["Ainda não conheço `bonjour`. Veja o que eu sei fazer:"],
        "home": ["Seu pulso", "*Últimos 30 dias:*", "🔥 Sequência: 1 dia", "Registrar um momento"],
    },
    "ja-JP": {
        "pulse": ["*今日はどんな一日でしたか?*", "今日はスキップ", "5段階中 4、よい"],
        "tap": ["ありがとうございます、受け取りました!"],
        "settings": ["パルスの設定", "パルスの時刻", "勤務日", "月曜日"],
        "help": ["このヘルプを表示", "毎日のパルスを一時停止"],
        "unknown": ["`bonjour` はまだわかりません。できることはこちらです:"],
        "home": ["あなたのパルス", "*過去30日間:*", "🔥 連続記録:1日", "ひとこまを記録"],
    },
}


def assert_in_language(locale: str, surface: str, payload: Any) -> None:
    shown = texts(payload)
    joined = "\n".join(shown)
    missing = [wanted for wanted in EXPECTED[locale][surface] if wanted not in joined]
    assert missing == [], f"{surface}: {missing} not in {joined[:2000]}"
    assert english_left(LANGUAGE[locale], shown) == [], surface


@pytest.mark.parametrize("locale", sorted(EXPECTED))
@over_both
def test_the_daily_pulse_journey_is_entirely_in_the_persons_language(
    stack: SandboxStack, locale: str
) -> None:
    user = stack.emulator.add_user(name="kim", tz="Europe/London", locale=locale)["id"]
    stack.run_job("sync-users")
    with stack.runtime.sessions() as session:
        person = session.scalars(select(Person).where(Person.slack_user_id == user)).one()
        assert person.slack_locale == locale

    stack.run_job("pulses", PULSE_AT)
    message = stack.actor.latest_message(stack.actor.dm_of(user))
    assert_in_language(locale, "pulse", message)

    faces = next(b for b in message["blocks"] if b.get("block_id") == "pulse_mood")["elements"]
    assert stack.actor.click(user, message=message, value=faces[3]["value"]).status == 200
    (reply,) = stack.emulator.wait_for(RESPONSE_CALL)
    assert reply.args["response_type"] == "ephemeral"
    assert_in_language(locale, "tap", reply.args)
    with stack.runtime.sessions() as session:
        assert [a.score for a in session.scalars(select(PulseAnswer))] == [4]

    stack.actor.slash_command(user, "settings")
    (opened,) = stack.emulator.wait_for("views.open")
    assert_in_language(locale, "settings", opened.args["view"])

    help_reply = stack.actor.slash_command(user, "help")
    assert help_reply.json is not None
    assert_in_language(locale, "help", help_reply.json)
    unknown = stack.actor.slash_command(user, "bonjour")
    assert unknown.json is not None
    assert_in_language(locale, "unknown", unknown.json)

    stack.actor.app_home_opened(user)
    (home,) = stack.emulator.wait_for("views.publish")
    assert_in_language(locale, "home", home.args["view"])


@over_both
def test_the_language_chosen_in_settings_wins_over_slacks(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="zoe", tz="Europe/London", locale="fr-FR")["id"]
    stack.run_job("sync-users")
    stack.actor.slash_command(user, "settings")
    (opened,) = stack.emulator.wait_for("views.open")
    view = opened.args["view"]
    language = next(b for b in view["blocks"] if b["block_id"] == "pulse_settings_language")
    # Slack's language is the default, named in the person's own language.
    assert language["element"]["initial_option"]["value"] == "slack"
    assert language["element"]["initial_option"]["text"]["text"] == "Langue de Slack (français)"
    view = next(iter(stack.emulator.open_views.values()))
    saved = stack.actor.submit_view(user, view, {"pulse_settings_language": "de"})
    assert (saved.json or {}).get("response_action") is None
    with stack.runtime.sessions() as session:
        person = session.scalars(select(Person).where(Person.slack_user_id == user)).one()
        assert (person.language, person.slack_locale) == ("de", "fr-FR")

    # A later sync keeps the choice: only Slack's locale is refreshed from the directory.
    stack.run_job("sync-users")
    stack.run_job("pulses", PULSE_AT)
    assert_in_language("de-DE", "pulse", stack.actor.latest_message(stack.actor.dm_of(user)))
    help_reply = stack.actor.slash_command(user, "help")
    assert_in_language("de-DE", "help", help_reply.json)

    # Back to "Slack's language": French again.
    stack.actor.slash_command(user, "settings")
    again = stack.emulator.wait_for("views.open", count=2)[1].args["view"]
    assert_in_language("de-DE", "settings", again)
    view = next(iter(stack.emulator.open_views.values()))
    stack.actor.submit_view(user, view, {"pulse_settings_language": "slack"})
    assert_in_language("fr-FR", "help", stack.actor.slash_command(user, "help").json)


def test_the_english_check_finds_english_text() -> None:
    """The leftover-English check is not vacuous: an untranslated reply is caught."""
    english = "Thanks, noted. (Only you can see this reply.)"
    assert english_left("fr", [english]) == [english]
    assert english_left("fr", ["Merci, c'est noté. (Toi seul vois cette réponse.)"]) == []
    assert english_left("de", ["Nächster Pulse: Mo., 2. März, 09:00 (Europe/London)."]) == []
    assert english_left("de", ["Next pulse: Mo., 2. März, 09:00 (Europe/London)."]) == [
        "Next pulse: %(when)s (%(tz)s)."
    ]


@over_both
def test_a_newcomer_not_yet_synced_gets_settings_in_their_language(stack: SandboxStack) -> None:
    """Looked up with users.info (include_locale) on first sight, before any sync."""
    user = stack.emulator.add_user(name="ana", tz="Europe/Madrid", locale="es-LA")["id"]
    stack.actor.slash_command(user, "settings")
    (opened,) = stack.emulator.wait_for("views.open")
    assert_in_language("es-ES", "settings", opened.args["view"])
    with stack.runtime.sessions() as session:
        person = session.scalars(select(Person).where(Person.slack_user_id == user)).one()
        assert person.slack_locale == "es-LA"


@over_both
def test_note_window_its_errors_the_reminder_and_dm_help_in_german(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="jan", tz="Europe/London", locale="de-DE")["id"]
    stack.run_job("sync-users")
    stack.run_job("pulses", PULSE_AT)
    dm = stack.actor.dm_of(user)
    message = stack.actor.latest_message(dm)

    # Unanswered after four hours: the one reminder, in German.
    assert stack.run_job("reminders", PULSE_AT + timedelta(hours=4))["T0SANDBOX"]["reminded"] == 1
    reminder = stack.actor.latest_message(dm)
    assert reminder["text"] == (
        "Kleine Erinnerung: Der Pulse von heute ist gleich hier drüber – ein Tipp genügt. 🙂"
    )

    stack.actor.click(user, message=message, action_id="pulse_note")
    (opened,) = stack.emulator.wait_for("views.open")
    note_view = opened.args["view"]
    assert note_view["title"]["text"] == "Notiz hinzufügen"
    assert note_view["submit"]["text"] == "Notiz speichern"
    assert note_view["close"]["text"] == "Abbrechen"
    assert "Was steckt hinter deiner Antwort heute?" in texts(note_view)
    assert english_left("de", texts(note_view)) == []
    view = next(iter(stack.emulator.open_views.values()))
    blank = stack.actor.submit_view(user, view, {"pulse_note_text": "   "})
    assert blank.json is not None
    assert blank.json["errors"] == {
        "pulse_note_text": (
            "Schreib ein paar Worte oder schließ das Fenster, wenn du keine Notiz willst."
        )
    }
    too_long = stack.actor.submit_view(user, view, {"pulse_note_text": "x" * 1001})
    assert too_long.json is not None
    assert too_long.json["errors"] == {
        "pulse_note_text": "Das sind 1001 Zeichen; bitte höchstens 1000."
    }

    # Writing to the bot directly: the short help, in German too.
    assert stack.actor.event(dm_event(user, dm, "hallo?")).status == 200
    help_dm = stack.emulator.wait_for(
        "chat.postMessage", lambda c: "/cx help" in str(c.args.get("text"))
    )[0]
    assert help_dm.args["text"].startswith("Hi! 👋 Nachrichten lese ich hier nicht")
