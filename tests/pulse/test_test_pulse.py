"""`/cx admin` → "Send me a test pulse", over signed HTTP against the emulator.

The admin sees the pulse DM staff get, marked as a test; every tap on it is confirmed and
nothing about it is stored or counted.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from bot.core import ids
from bot.pulse.views import TEST_MARK_TEXT, TEST_TAPPED_TEXT
from models import PulseAnswer, PulseExtraAnswer, PulseNote, PulseSend
from slack_emulator.webhooks import RESPONSE_CALL
from tests.support.languages import english_left, texts
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view, wait_until


def _admin_modal(stack: SandboxStack, user: str) -> dict[str, Any]:
    assert stack.actor.slash_command(user, "admin").status == 200
    stack.emulator.wait_for("views.open")
    return open_view(stack.emulator, ids.ADMIN_VIEW)


def _stored(stack: SandboxStack) -> dict[str, int]:
    with stack.runtime.sessions() as session:
        return {
            model.__name__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (PulseAnswer, PulseExtraAnswer, PulseNote, PulseSend)
        }


def _test_pulse(stack: SandboxStack, admin: str) -> dict[str, Any]:
    view = _admin_modal(stack, admin)
    assert stack.actor.click(admin, view=view, action_id=ids.ADMIN_TEST_PULSE).status == 200
    (posted,) = stack.emulator.wait_for("chat.postMessage")
    dm = stack.actor.dm_of(admin)
    assert posted.args["channel"] == dm
    return stack.actor.latest_message(dm)


def test_an_admin_gets_a_test_pulse_marked_as_a_test(stack: SandboxStack) -> None:
    admin = stack.emulator.add_user(name="ada", is_admin=True)["id"]
    message = _test_pulse(stack, admin)

    assert TEST_MARK_TEXT in json.dumps(message["blocks"], ensure_ascii=False)
    assert TEST_MARK_TEXT in message["text"]
    assert message["metadata"]["event_type"] == "cxpulse_test_pulse"
    faces = next(b for b in message["blocks"] if b.get("block_id") == "pulse_mood")["elements"]
    assert [f["text"]["text"] for f in faces] == ["😫 1", "😕 2", "😐 3", "🙂 4", "😄 5"]
    # Nothing about a test is stored: no send, so it is never counted as asked.
    assert _stored(stack) == dict.fromkeys(_stored(stack), 0)


def test_every_tap_on_a_test_pulse_is_confirmed_and_never_stored(stack: SandboxStack) -> None:
    admin = stack.emulator.add_user(name="ada", is_admin=True)["id"]
    message = _test_pulse(stack, admin)
    buttons = [
        element
        for block in message["blocks"]
        for element in [*block.get("elements", []), block.get("accessory") or {}]
        if element.get("type") == "button"
    ]
    # Five faces, the second question's answers, "Skip today" and the note button.
    assert len(buttons) >= 8
    for n, element in enumerate(buttons, start=1):
        reply = stack.actor.click(admin, message=message, action_id=element["action_id"])
        assert reply.status == 200
        confirmation = stack.emulator.wait_for(RESPONSE_CALL, count=n)[-1].args
        assert confirmation["response_type"] == "ephemeral"
        assert confirmation["text"] == TEST_TAPPED_TEXT
    assert _stored(stack) == dict.fromkeys(_stored(stack), 0)
    assert stack.emulator.calls_to("views.open")[1:] == []  # the note button opens no modal
    assert stack.emulator.calls_to("chat.update") == []  # the DM is never edited
    assert len(stack.emulator.calls_to("chat.postMessage")) == 1


def test_someone_not_an_admin_cannot_send_a_test_pulse(stack: SandboxStack) -> None:
    admin = stack.emulator.add_user(name="ada", is_admin=True)["id"]
    other = stack.emulator.add_user(name="norm")["id"]
    view = _admin_modal(stack, admin)
    # A forged click from someone else on the admin's modal posts nothing.
    checks = len(stack.emulator.calls_to("users.info"))
    assert stack.actor.click(other, view=view, action_id=ids.ADMIN_TEST_PULSE).status == 200
    wait_until(lambda: len(stack.emulator.calls_to("users.info")) > checks, what="the admin check")
    assert stack.emulator.calls_to("chat.postMessage") == []
    assert stack.emulator.dm_channel(other) is None


def test_a_french_admin_gets_the_test_pulse_and_its_confirmation_in_french(
    stack: SandboxStack,
) -> None:
    admin = stack.emulator.add_user(name="lea", is_admin=True, locale="fr-FR")["id"]
    stack.run_job("sync-users")
    message = _test_pulse(stack, admin)
    shown = [*texts(message["blocks"]), message["text"]]
    assert "🧪 *Pulse de test : les réponses ne sont pas comptées.*" in shown
    assert any(s.startswith("*Comment s'est passée ta journée ?*") for s in shown)
    assert english_left("fr", shown) == []
    faces = next(b for b in message["blocks"] if b.get("block_id") == "pulse_mood")["elements"]
    stack.actor.click(admin, message=message, action_id=faces[3]["action_id"])
    (confirmation,) = stack.emulator.wait_for(RESPONSE_CALL)
    assert confirmation.args["text"].startswith("Pulse de test : le clic a bien marché")
    assert english_left("fr", [confirmation.args["text"]]) == []
