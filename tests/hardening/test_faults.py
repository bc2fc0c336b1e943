"""Faults: Slack misbehaving during a job, and the database going away under a request."""

from __future__ import annotations

import json
import time
import types
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import bot.app
from bot import home, ops
from bot.config import Settings
from bot.core.apology import SORRY
from bot.core.features import HomeRequest, Parts
from bot.core.ids import HOME_REFRESH
from bot.core.router import CommandCall
from bot.core.slack import make_client
from bot.demo.processes import APP_MANIFEST
from bot.runtime import Runtime
from bot.workspace.store import ensure_workspace
from models import Person, Workspace
from slack_emulator.emulator import SlackEmulator
from tests.support.outage import Outage
from tests.support.stack import SandboxStack

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


FAULTS = ["ratelimited", "server_error", "cut", "timeout", "disconnect"]


@pytest.mark.parametrize("kinds", [[kind] for kind in FAULTS], ids=FAULTS)
@pytest.mark.stack(slack_timeout_seconds=1)  # so an injected 1.5 s stall is a timeout
def test_sync_users_completes_through_slack_faults(stack: SandboxStack, kinds: list[str]) -> None:
    for i in range(250):  # two pages of users.list
        stack.emulator.add_user(name=f"person{i}")
    for kind in kinds:  # the first calls fail, one after the other
        stack.emulator.inject_fault("users.list", kind, retry_after=1, delay=1.5, status=503)

    result = stack.run_job("sync-users")

    assert next(iter(result.values()))["added"] == 250
    errors = [call.error for call in stack.emulator.calls_to("users.list")]
    assert errors == [*kinds, None, None]  # each failed call was retried; then page two
    with stack.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 250


@pytest.mark.parametrize("kind", ["timeout", "cut"])
def test_a_post_whose_answer_was_lost_is_not_repeated(kind: str) -> None:
    with SlackEmulator(manifest=APP_MANIFEST) as emulator:
        settings = Settings(slack_api_url=emulator.api_url, slack_bot_token=emulator.bot_token)
        client = make_client(settings, timeout=1)
        emulator.inject_fault("chat.postMessage", kind, delay=1.5)
        with pytest.raises(Exception):  # noqa: B017,PT011 - TimeoutError or IncompleteRead
            client.chat_postMessage(channel="general", text="once")
        # Slack did post it: asking again would post it twice. The job's claims decide.
        assert [m["text"] for m in emulator.messages("general")] == ["once"]


# -- the database goes away ------------------------------------------------------------------


def people_section(session: Session, runtime: Runtime, request: HomeRequest) -> list[Any]:
    """A Home section that reads the database, as every feature's section does."""
    count = session.scalar(select(func.count()).select_from(Person))
    return [{"type": "context", "elements": [{"type": "mrkdwn", "text": f"{count} people"}]}]


def probe_module(outage: Outage) -> types.SimpleNamespace:
    """A `/cx note` word that stores two rows in one unit of work, like a feature does."""

    def note(call: CommandCall) -> None:
        call.ack(response_type="ephemeral", text="Saving…")
        with call.runtime.transaction() as session:  # on failure `/cx` answers SORRY
            workspace = ensure_workspace(session, slack_team_id=call.team_id, name="Sandbox")
            session.flush()
            if call.args == "cut-midway":
                outage.down()  # the database goes away half-way through
            session.add(Person(workspace_id=workspace.id, slack_user_id=call.user_id))
            session.flush()
        call.respond(response_type="ephemeral", text="Saved.")

    def register(parts: Parts) -> None:
        parts.commands.add("note", note, usage="note", summary="store a note")
        parts.home.add(0, people_section)

    return types.SimpleNamespace(register=register)


def health(stack: SandboxStack, path: str = "/readyz") -> int:
    try:
        with urllib.request.urlopen(stack.server.url + path, timeout=10) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def stored(stack: SandboxStack) -> tuple[int, int]:
    with stack.runtime.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Workspace)) or 0,
            session.scalar(select(func.count()).select_from(Person)) or 0,
        )


@pytest.fixture
def outage(db_url: str, tmp_path: Path) -> Iterator[Outage]:
    running = Outage(db_url, tmp_path)
    yield running
    running.close()


def test_database_outage_gets_kind_answers_and_leaves_nothing_half_written(
    outage: Outage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.app, "FEATURES", (home, ops, probe_module(outage)))
    with SandboxStack.start(outage.url, now=START, migrate=False) as stack:
        outage.engine = stack.runtime.sessions.kw["bind"]
        user = stack.emulator.add_user(name="pat")["id"]
        assert health(stack) == 200

        outage.down()
        assert health(stack) == 503
        # Not ready, yet alive: a database outage must not get every instance restarted.
        assert health(stack, "/healthz") == 200
        help_reply = stack.actor.slash_command(user, "help")
        assert help_reply.status == 200
        assert help_reply.json is not None
        assert help_reply.json["response_type"] == "ephemeral"
        assert stack.actor.slash_command(user, "note").status == 200
        assert stack.actor.app_home_opened(user).status == 200
        stack.emulator.wait_for("views.publish")
        wait_until_said(stack, SORRY)

        outage.up()
        assert health(stack) == 200
        assert stored(stack) == (0, 0)  # the failed note left nothing behind
        if outage.proxy is not None:  # PostgreSQL: cut a unit of work half-way through
            assert stack.actor.slash_command(user, "note cut-midway").status == 200
            wait_until_said(stack, SORRY, count=2)
            outage.up()
            assert stored(stack) == (0, 0)
        shown = stack.emulator.home_views[user]
        assert HOME_REFRESH in json.dumps(shown)
        stack.actor.click(user, view=shown, action_id=HOME_REFRESH)
        stack.emulator.wait_for("views.publish", count=2)
        assert stack.emulator.home_views[user]["blocks"][-1]["elements"][0]["text"] == "0 people"
        assert stack.actor.slash_command(user, "note").status == 200
        wait_until_said(stack, "Saved.")
        assert stored(stack) == (1, 1)


def wait_until_said(stack: SandboxStack, text: str, count: int = 1) -> None:
    """Wait for ``count`` response_url posts saying ``text`` (the listener runs after the ack)."""
    deadline = time.monotonic() + 10
    while sum(post.body.get("text") == text for post in stack.emulator.responses) < count:
        assert time.monotonic() < deadline, [p.body for p in stack.emulator.responses]
        time.sleep(0.02)
