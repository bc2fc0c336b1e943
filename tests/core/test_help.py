"""`/cx help` over signed HTTP, request verification, and the health check."""

from __future__ import annotations

import json
import time
import urllib.request

from tests.support.stack import SandboxStack


def _section_texts(blocks: list[dict]) -> str:
    return "\n".join(b["text"]["text"] for b in blocks if b.get("type") == "section")


def test_help_lists_subcommands(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    reply = stack.actor.slash_command(user, "help")
    assert reply.status == 200
    assert reply.json is not None
    assert reply.json["response_type"] == "ephemeral"
    assert "/cx help" in _section_texts(reply.json["blocks"])


def test_unknown_word_gets_help_and_says_so(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="bo")["id"]
    reply = stack.actor.slash_command(user, "frobnicate <!channel>")
    assert reply.json is not None
    text = _section_texts(reply.json["blocks"])
    assert "`frobnicate`" in text
    assert "/cx help" in text
    assert "<!channel>" not in json.dumps(reply.json)


def test_empty_text_gets_help(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="cy")["id"]
    reply = stack.actor.slash_command(user, "")
    assert reply.json is not None
    assert "/cx help" in _section_texts(reply.json["blocks"])


def test_unsigned_request_is_refused(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="dee")["id"]
    reply = stack.actor.slash_command(user, "help", sign=False)
    assert reply.status == 401


def test_wrong_secret_is_refused(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="eve")["id"]
    reply = stack.actor.slash_command(user, "help", signing_secret="not-the-secret")
    assert reply.status == 401


def test_stale_timestamp_is_refused(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="fay")["id"]
    reply = stack.actor.slash_command(user, "help", timestamp=int(time.time()) - 60 * 10)
    assert reply.status == 401


def test_readyz_checks_the_database(stack: SandboxStack) -> None:
    with urllib.request.urlopen(stack.server.url + "/readyz", timeout=5) as resp:  # noqa: S310
        assert resp.status == 200
        assert json.loads(resp.read())["checks"]["database"] == "ok"
