"""Bodies Bolt would misread reach their listener intact, without touching Bolt's parser."""

from __future__ import annotations

from urllib.parse import parse_qsl

from slack_bolt import BoltRequest

from bot.core import ids
from bot.core.web.guard import bolt_safe_form
from tests.support.moments import element, opened_view
from tests.support.stack import SandboxStack


def test_a_command_with_the_word_payload_opens_its_modal(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    reply = stack.actor.slash_command(user, "moment the payload API broke; payload=1 too")
    assert reply.status == 200
    view = opened_view(stack)
    assert element(view, ids.MOMENT_WHAT)["initial_value"] == "the payload API broke; payload=1 too"


def test_the_safe_form_has_the_same_fields_and_no_payload_text() -> None:
    body = "command=%2Fcx&text=the+payload+API&user_id=U1&payload_hint=payload"
    safe = bolt_safe_form(body, None)
    assert safe is not None
    assert "payload" not in safe
    fields = dict(parse_qsl(body, keep_blank_values=True))
    assert dict(parse_qsl(safe, keep_blank_values=True)) == fields
    # What the door hands Bolt, Bolt reads as those fields (the original it reads as {}).
    assert BoltRequest(body=safe).body == fields
    assert BoltRequest(body=body).body == {}


def test_real_payload_forms_and_json_are_left_alone() -> None:
    form = "payload=%7B%22type%22%3A%22block_actions%22%7D"
    assert bolt_safe_form(form, None) is None
    text = '{"type": "event_callback", "note": "payload"}'
    assert bolt_safe_form(text, "application/json") is None
