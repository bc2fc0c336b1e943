"""Bolt used as documented: its own ack and listener executor, one signature check, no forging.

The source checks read bot/ and handlers/ as Python syntax trees (not text), so a comment or
a docstring naming these things does not count; the App checks build it as every run mode does.
"""

from __future__ import annotations

import ast
import io
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from slack_bolt import App, BoltRequest

from bot.app import build_parts, build_runtime
from bot.config import Settings
from bot.core.features import Routes
from bot.core.web.server import CxPulseWSGI
from bot.demo.processes import sandbox_settings
from models.db import make_engine, make_sessionmaker, upgrade
from slack_emulator.emulator import SlackEmulator

ROOT = Path(__file__).resolve().parents[3]
# The one module that computes Slack's v0 signature (for the help desks' `POST /outcomes`
# and the demo's help desk); nothing re-signs a Slack request.
SIGNING_HOME = "bot/core/web/signatures.py"


def app_modules() -> Iterator[tuple[str, ast.Module]]:
    for folder in ("bot", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def test_the_source_checks_read_the_whole_app() -> None:
    # They pass on no files at all: a moved test or module must not silence them.
    names = {name for name, _ in app_modules()}
    assert {SIGNING_HOME, "bot/app.py", "handlers/moments.py"} <= names


def _is_ack_key(node: ast.AST) -> bool:
    return isinstance(node, ast.Subscript) and (
        isinstance(node.slice, ast.Constant) and node.slice.value == "ack"
    )


def test_no_module_passes_bolt_a_listener_executor() -> None:
    found = [
        f"{name}: passes {keyword.arg}"
        for name, tree in app_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg in ("listener_executor", "listener_runner")
    ]
    assert found == []


def ack_replacements() -> dict[str, list[str]]:
    """Modules that put their own object in ``context["ack"]`` or subclass Bolt's ``Ack``."""
    found: dict[str, list[str]] = {}
    for name, tree in app_modules():
        for node in ast.walk(tree):
            targets: list[ast.AST] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                targets = [node.target]
            if any(_is_ack_key(t) for t in targets):
                found.setdefault(name, []).append('assigns ["ack"]')
            if isinstance(node, ast.ClassDef):
                for base in (ast.unparse(b) for b in node.bases):
                    if base.split(".")[-1] == "Ack":
                        found.setdefault(name, []).append(f"subclasses {base}")
    return found


def test_no_module_replaces_ack() -> None:
    """Bolt's own ``ack`` everywhere: a submission answered with inline errors gives its
    once-only claim back through ``answer_with_errors`` (bot/core/once.py), not a subclass."""
    assert sorted(ack_replacements()) == []


def test_only_the_signing_home_computes_a_signature() -> None:
    found = []
    for name, tree in app_modules():
        for node in ast.walk(tree):
            called = isinstance(node, ast.Attribute) and node.attr == "generate_signature"
            if called and name != SIGNING_HOME:
                found.append(f"{name}: generate_signature")
            hand_made = isinstance(node, ast.Constant) and str(node.value).startswith("v0:")
            if hand_made and name != SIGNING_HOME:
                found.append(f"{name}: builds a v0 base string")
    assert found == []


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The Bolt App as `build_parts` makes it for every run mode, against the emulator."""
    url = f"sqlite:///{tmp_path_factory.mktemp('bolt')}/app.sqlite3"
    upgrade(url)
    with SlackEmulator() as emulator:
        settings = sandbox_settings(emulator, url)
        runtime = build_runtime(settings, sessions=make_sessionmaker(make_engine(url)))
        yield build_parts(settings, runtime=runtime).app


def test_the_app_runs_listeners_on_bolts_default_executor(app: App) -> None:
    # What App() makes when no executor is passed: a plain pool, not a subclass.
    assert type(app.listener_runner.listener_executor) is ThreadPoolExecutor


def test_bolt_checks_no_signature_of_its_own(app: App) -> None:
    """The HTTP door checked it; Bolt needs none (so a re-encoded body needs none either)."""
    body = json.dumps({"type": "url_verification", "token": "x", "challenge": "c-42"})
    request = BoltRequest(body=body, headers={"content-type": ["application/json"]})
    # Unsigned: Bolt's own check would answer 401; with it off, Bolt answers the challenge.
    response = app.dispatch(request)
    assert response.status == 200
    assert json.loads(response.body) == {"challenge": "c-42"}


def test_without_a_signing_secret_the_door_takes_no_slack_request(app: App, tmp_path: Path) -> None:
    """Bolt checks no signature, so the door must refuse when it has nothing to check with."""
    url = f"sqlite:///{tmp_path}/door.sqlite3"
    settings = Settings.from_env({"DATABASE_URL": url})
    assert settings.slack_signing_secret is None
    door = CxPulseWSGI(app, build_runtime(settings), Routes())
    body = json.dumps({"type": "url_verification", "token": "x", "challenge": "c-42"}).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    seen: list[str] = []
    answer = b"".join(door(environ, lambda status, _headers, _exc=None: seen.append(status)))
    assert seen == ["401 Unauthorized"]
    assert b"SLACK_SIGNING_SECRET" in answer
