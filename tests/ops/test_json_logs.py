"""CXPULSE_LOG_FORMAT=json: one JSON object per line, the Slack request's id, still redacted."""

from __future__ import annotations

import io
import json
import logging
import threading
import types
from collections.abc import Iterator

import pytest

import bot.app
from bot import home
from bot.cli import configure_logging
from bot.core.features import Parts
from bot.core.router import CommandCall
from bot.ops.logs import use_log_format
from bot.ops.metrics import clear_request_id
from tests.support.stack import SandboxStack

TOKEN = "xoxb-1111-2222-secretpart"
probe_log = logging.getLogger("bot.probe")


def probe_module() -> types.SimpleNamespace:
    """`/cx probe`: acks, then logs from the listener's own thread, as features do."""

    def probe(call: CommandCall) -> None:
        call.ack(response_type="ephemeral", text="ok")
        probe_log.warning("probe after ack on %s, token %s", threading.current_thread().name, TOKEN)

    def register(parts: Parts) -> None:
        parts.commands.add("probe", probe, usage="probe", summary="log a line")

    return types.SimpleNamespace(register=register)


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    # A request dispatched on this thread by an earlier test (app.dispatch) left its id.
    clear_request_id()
    out = io.StringIO()
    handler = configure_logging(logging.DEBUG, stream=out)
    use_log_format(handler, "json")
    try:
        yield out
    finally:
        logging.getLogger().removeHandler(handler)


def test_json_lines_carry_the_request_id_and_stay_redacted(
    db_url: str, json_log: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.app, "FEATURES", (home, probe_module()))
    with SandboxStack.start(db_url, migrate=False) as stack:
        user = stack.emulator.add_user(name="jo")["id"]
        assert stack.actor.slash_command(user, "probe").status == 200
        assert stack.actor.slash_command(user, "probe").status == 200
        stack.runtime.background.wait_idle(timeout=5)
        probe_log.info("outside any request")
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert lines
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    probes = [line for line in lines if line["logger"] == "bot.probe"]
    assert len(probes) == 3
    first, _, outside = probes
    assert "request_id" not in outside
    # Every line Bolt logs while routing a request carries that request's id, one per request.
    routing = [line for line in lines if line["logger"].startswith("slack_bolt")]
    ids = {line.get("request_id") for line in routing if "Running listener" in line["message"]}
    assert len(ids) == 2
    assert all(isinstance(one, str) and len(one) == 16 for one in ids)
    # The redacting filter still applies: the token never reaches the log.
    assert TOKEN not in json_log.getvalue()
    assert first["message"].endswith("token xoxb-[redacted]")
    assert first["level"] == "WARNING"
