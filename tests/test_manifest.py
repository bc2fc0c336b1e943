"""app.yaml lists exactly what handlers/ registers and the scopes the code's calls need."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_bolt import App

from bot.app import build_app, build_runtime
from bot.config import Settings
from handlers import home as home_handlers
from slack_emulator import SlackEmulator

ROOT = Path(__file__).resolve().parents[1]

# Granular bot scopes per Web API method (Slack's method docs). A method the code
# calls that is missing here fails the test, so the manifest cannot fall behind.
METHOD_SCOPES: dict[str, set[str]] = {
    "auth.test": set(),
    "team.info": {"team:read"},
    # The directory sync reads profile emails (to match help-desk agents).
    "users.list": {"users:read", "users:read.email"},
    "users.info": {"users:read"},
    "usergroups.list": {"usergroups:read"},
    "usergroups.users.list": {"usergroups:read"},
    "conversations.open": {"im:write"},
    # The app reads back only its own posts (their metadata), in DMs and in the digest and
    # celebrations channels (public or private), after Slack's answer to a post was lost.
    "conversations.history": {"im:history", "channels:history", "groups:history"},
    "conversations.join": {"channels:join"},
    "conversations.info": {"channels:read", "groups:read"},
    "conversations.list": {"channels:read", "groups:read"},
    "chat.postMessage": {"chat:write"},
    "chat.update": {"chat:write"},
    "chat.delete": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.getPermalink": set(),
    "views.open": set(),
    "views.update": set(),
    "views.push": set(),
    "views.publish": set(),
    "reactions.add": {"reactions:write"},
    "files.upload.v2": {"files:write"},
    "files.getUploadURLExternal": {"files:write"},
    "files.completeUploadExternal": {"files:write"},
    # Only to find the lead's private chart after Slack's answer to its upload was lost.
    "files.list": {"files:read"},
    "oauth.v2.access": set(),
    "apps.uninstall": set(),
}
CALL = re.compile(r"\bclient\.([a-z]+(?:_[A-Za-z0-9]+)+)\(")


def manifest() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "app.yaml").read_text())


def methods_called() -> set[str]:
    """Web API methods called in the app's code (not the demo, which plays Slack's side)."""
    found: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            if "demo" in path.parts:
                continue
            for name in CALL.findall(path.read_text()):
                found.add(name.replace("_", "."))
    return found


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """What build_app registers with Bolt, recorded at the App's registration methods."""
    seen: dict[str, set[str]] = {"command": set(), "shortcut": set(), "event": set()}

    def recorder(kind: str, original: Any) -> Any:
        def wrapped(self: App, constraints: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(constraints, str):
                seen[kind].add(constraints)
            elif isinstance(constraints, dict):
                seen[kind].add(constraints.get("callback_id") or constraints.get("type"))
            return original(self, constraints, *args, **kwargs)

        return wrapped

    for kind, name in [
        ("command", "command"),
        ("shortcut", "shortcut"),
        ("shortcut", "message_shortcut"),
        ("shortcut", "global_shortcut"),
        ("event", "event"),
    ]:
        monkeypatch.setattr(App, name, recorder(kind, getattr(App, name)))
    with SlackEmulator() as emulator:
        settings = Settings(
            slack_bot_token=emulator.bot_token,
            slack_signing_secret="s",
            slack_api_url=emulator.api_url,
            database_url="sqlite://",
            cxpulse_secret="x",
        )
        build_app(settings, runtime=build_runtime(settings))
    return seen


def test_commands_match_manifest(registered: dict[str, set[str]]) -> None:
    listed = {c["command"] for c in manifest()["features"].get("slash_commands", [])}
    assert listed == registered["command"]


def test_shortcuts_match_manifest(registered: dict[str, set[str]]) -> None:
    listed = {s["callback_id"] for s in manifest()["features"].get("shortcuts", [])}
    assert listed == registered["shortcut"]


def test_events_match_manifest(registered: dict[str, set[str]]) -> None:
    subs = manifest()["settings"].get("event_subscriptions", {})
    # Bolt's one "message" listener stands for the message.* subscriptions its module names.
    expected = registered["event"] - {"message"}
    if "message" in registered["event"]:
        expected |= set(home_handlers.MESSAGE_EVENTS)
    assert set(subs.get("bot_events", [])) == expected


def test_scopes_are_exactly_what_the_code_needs() -> None:
    called = methods_called()
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add the scopes for {sorted(unknown)} to METHOD_SCOPES"
    needed = set().union(*(METHOD_SCOPES[m] for m in called)) | {"commands"}
    scopes = manifest()["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes)), "a scope is listed twice"
    listed = set(scopes)
    assert listed == needed, f"missing {needed - listed}, unused {listed - needed}"


def test_manifest_is_ready_for_socket_mode_and_interactivity() -> None:
    settings = manifest()["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    url = "https://cxpulse.example.com/slack/events"
    assert settings["interactivity"]["request_url"] == url
    assert all(c["url"] == url for c in manifest()["features"]["slash_commands"])
