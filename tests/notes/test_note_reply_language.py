"""A lead's reply reaches a note's author in the author's language (Slack locale fr-FR):
the DM, the "Answer back" window and its confirmation, with no English catalog text left."""

from __future__ import annotations

from bot.core import ids
from tests.support.languages import english_left, texts
from tests.support.seeding import lead_and_writers, write_notes
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view, wait_until


def _setup(stack: SandboxStack, lead_locale: str = "en-US") -> tuple[str, str]:
    """A lead, six writers (the author's Slack is in French) and a week of notes."""
    locales = ["fr-FR" if i == 2 else "en-US" for i in range(6)]
    lead, staff = lead_and_writers(stack, lead_locale=lead_locale, locales=locales)
    write_notes(stack, staff, {s: f"note {i}" for i, s in enumerate(staff)})
    return lead, staff[2]


def test_the_author_reads_the_reply_and_answers_back_in_french(stack: SandboxStack) -> None:
    lead, author = _setup(stack)
    assert stack.actor.slash_command(lead, "notes").status == 200
    listing = wait_until(lambda: stack.emulator.ephemerals, what="the notes list")[-1]
    note_2 = next(b for b in listing["blocks"] if "note 2" in b.get("text", {}).get("text", ""))
    stack.actor.click(lead, message=listing, value=note_2["accessory"]["value"])
    modal = open_view(stack.emulator, ids.NOTE_REPLY_VIEW)
    stack.actor.submit_view(lead, modal, {ids.NOTE_REPLY_TEXT: "Merci, on en parle lundi"})

    stack.emulator.wait_for("chat.postMessage")
    message = stack.actor.latest_message(stack.actor.dm_of(author))
    shown = [*texts(message), message["text"]]
    joined = "\n".join(shown)
    for french in (
        "a répondu à ta note anonyme de la semaine du 16 février.",
        "*Sa réponse :*",
        "Répondre",
    ):
        assert french in joined, joined
    assert english_left("fr", shown) == []

    stack.actor.click(author, message=message, action_id=ids.NOTE_ANSWER)
    answer_modal = open_view(stack.emulator, ids.NOTE_ANSWER_VIEW)
    assert "Ta note de la semaine du 16 février :" in str(answer_modal)
    assert english_left("fr", texts(answer_modal)) == []
    sent = stack.actor.submit_view(author, answer_modal, {ids.NOTE_ANSWER_TEXT: "Super"})
    assert sent.json is not None
    confirmation = texts(sent.json["view"])
    assert any("ne sait toujours pas" in text for text in confirmation), confirmation
    assert english_left("fr", confirmation) == []


def test_a_german_lead_reads_notes_replies_and_the_answer_in_german(stack: SandboxStack) -> None:
    lead, author = _setup(stack, lead_locale="de-DE")
    stack.actor.slash_command(lead, "notes")
    listing = wait_until(lambda: stack.emulator.ephemerals, what="the notes list")[-1]
    shown = [*texts(listing), listing["text"]]
    assert "Anonyme Notizen" in shown
    assert any(text.startswith("*Woche vom 16. Februar*\n") for text in shown), shown
    assert english_left("de", shown) == []
    note_2 = next(b for b in listing["blocks"] if "note 2" in b.get("text", {}).get("text", ""))
    assert note_2["accessory"]["text"]["text"] == "Antworten"

    stack.actor.click(lead, message=listing, value=note_2["accessory"]["value"])
    modal = open_view(stack.emulator, ids.NOTE_REPLY_VIEW)
    assert modal["title"]["text"] == "Auf Notiz antworten"
    assert english_left("de", texts(modal)) == []
    sent = stack.actor.submit_view(lead, modal, {ids.NOTE_REPLY_TEXT: "Danke, reden wir Montag"})
    assert sent.json is not None
    assert english_left("de", texts(sent.json["view"])) == []
    assert any(t.startswith("Gesendet. ") for t in texts(sent.json["view"]))

    stack.emulator.wait_for("chat.postMessage")
    message = stack.actor.latest_message(stack.actor.dm_of(author))
    stack.actor.click(author, message=message, action_id=ids.NOTE_ANSWER)
    answer_modal = open_view(stack.emulator, ids.NOTE_ANSWER_VIEW)
    stack.actor.submit_view(author, answer_modal, {ids.NOTE_ANSWER_TEXT: "Super"})
    stack.emulator.wait_for("chat.postMessage", count=2)
    answer = stack.actor.latest_message(stack.actor.dm_of(lead))
    shown = [*texts(answer), answer["text"]]
    assert "*Die Antwort:*\n>Super" in shown
    assert answer["text"].startswith("Die Person hinter der Notiz aus der Woche vom 16. Februar ")
    assert english_left("de", shown) == []
