"""Slash-command text exactly as Slack sends it for the manifest's `should_escape`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from slack_emulator import SlackClientActor, SlackEmulator

ROOT = Path(__file__).resolve().parents[2]


def manifest(escape: bool) -> dict[str, Any]:
    command = {"command": "/cx", "description": "d", "should_escape": escape}
    return {"display_information": {"name": "x"}, "features": {"slash_commands": [command]}}


def sent_text(emulator: SlackEmulator, user: str, typed: str) -> str:
    """The `text` field of the slash command the actor sends for ``typed``."""
    seen: list[str] = []

    class Capture(SlackClientActor):
        def send(self, body: str, content_type: str, **options: Any) -> Any:
            seen.append(parse_qs(body, keep_blank_values=True)["text"][0])
            return None

    Capture(emulator, "http://127.0.0.1:9/unused").slash_command(user, typed)
    return seen[0]


@pytest.fixture(params=[True, False], ids=["escape", "plain"])
def world(request: pytest.FixtureRequest) -> Iterator[tuple[SlackEmulator, bool, dict[str, str]]]:
    escape = bool(request.param)
    with SlackEmulator(manifest=manifest(escape)) as emulator:
        yield emulator, escape, _people(emulator)


def _people(emulator: SlackEmulator) -> dict[str, str]:
    alex = emulator.add_user("U123", name="alex", real_name="Alex Smith")["id"]
    sam = emulator.add_user(name="sam")["id"]
    group = emulator.add_usergroup("leads", "Leads", [alex])
    general = emulator.general_channel().id
    return {"alex": alex, "sam": sam, "group": group, "general": general}


def test_mentions_picked_from_the_autocomplete(world: Any) -> None:
    emulator, escape, ids = world
    typed = f"celebrate <@{ids['alex']}> and <!subteam^{ids['group']}> in <#{ids['general']}>"
    group, general = ids["group"], ids["general"]
    expected = (
        f"celebrate <@U123|alex> and <!subteam^{group}|@leads> in <#{general}|general>"
        if escape
        else "celebrate @alex and @leads in #general"
    )
    assert sent_text(emulator, ids["sam"], typed) == expected


def test_typed_names_become_mentions_only_when_escaping(world: Any) -> None:
    emulator, escape, ids = world
    typed = "celebrate @alex @leads @nobody #general @here for a win"
    expected = (
        f"celebrate <@U123|alex> <!subteam^{ids['group']}|@leads> @nobody "
        f"<#{ids['general']}|general> <!here> for a win"
        if escape
        else typed
    )
    assert sent_text(emulator, ids["sam"], typed) == expected


def test_typed_ampersand_and_angle_brackets(world: Any) -> None:
    emulator, escape, ids = world
    typed = "moment Q&A about <broken> invoices & a > b"
    expected = "moment Q&amp;A about &lt;broken&gt; invoices &amp; a &gt; b" if escape else typed
    assert sent_text(emulator, ids["sam"], typed) == expected


def test_the_repository_manifest_is_read(tmp_path: Path) -> None:
    with SlackEmulator(manifest=ROOT / "app.yaml") as emulator:
        assert emulator.command_escaping == {"/cx": True}
        user = emulator.add_user(name="kim")["id"]
        assert sent_text(emulator, user, "pause <3 days") == "pause &lt;3 days"


def test_a_command_missing_from_the_manifest_is_not_sent() -> None:
    emulator = SlackEmulator(manifest=manifest(True))
    with pytest.raises(AssertionError, match="not in the app's manifest"):
        SlackClientActor(emulator, "http://127.0.0.1:9/x").slash_command("U1", "x", "/other")


def test_without_a_manifest_text_goes_as_given() -> None:
    with SlackEmulator() as emulator:
        assert sent_text(emulator, "U1", "a & <@U1>") == "a & <@U1>"


def test_markup_naming_nobody_counts_as_typed(world: Any) -> None:
    emulator, escape, ids = world
    typed = "celebrate <@U999> <#C999> <https://evil.example|free money>"
    expected = (
        "celebrate &lt;@U999&gt; &lt;#C999&gt; &lt;https://evil.example|free money&gt;"
        if escape
        else typed
    )
    assert sent_text(emulator, ids["sam"], typed) == expected
