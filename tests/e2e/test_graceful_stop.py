"""SIGTERM to `cxpulse serve` and `cxpulse start` as real processes: in-flight requests are
answered, new connections refused, leadership released, and the exit is clean (0)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from bot.demo.processes import APP_MANIFEST
from slack_emulator import SlackClientActor, SlackEmulator
from slack_emulator.socket_mode import SocketModeError
from tests.support.processes import app_env, free_port
from tests.support.waiting import wait_until

RELEASED = "released scheduler leadership"


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 - loopback
            return int(answer.status), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def sample(base: str, name: str) -> float:
    """One unlabelled-or-labelled sample of GET /metrics, e.g. 'x_total{kind="command"}'."""
    from prometheus_client.parser import text_string_to_metric_families

    status, body = get(base + "/metrics")
    assert status == 200
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
            if (f"{s.name}{{{labels}}}" if labels else s.name) == name:
                return float(s.value)
    return 0.0


def refused(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except OSError:
        return True


@dataclass
class Running:
    emulator: SlackEmulator
    proc: subprocess.Popen[str]
    base: str  # where /healthz, /readyz, /metrics answer
    postgres: bool

    def output_after_exit(self, timeout: float = 30) -> tuple[int, str]:
        out, _ = self.proc.communicate(timeout=timeout)
        return int(self.proc.returncode), out


def environment(emulator: SlackEmulator, db_url: str) -> dict[str, str]:
    return app_env(emulator, db_url)


def launch(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_alive(base: str, proc: subprocess.Popen[str]) -> None:
    def alive() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"exited early: {proc.communicate()}")
        try:
            return get(base + "/healthz", timeout=2)[0] == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    wait_until(alive, what="/healthz", timeout=60)


@contextmanager
def killed_at_end(proc: subprocess.Popen[str]) -> Iterator[None]:
    """However the test using it ends, the app process it started does not outlive it."""
    try:
        yield
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


@pytest.fixture
def served(db_url: str) -> Iterator[Running]:
    with SlackEmulator(manifest=APP_MANIFEST) as emulator:
        port = free_port()
        env = environment(emulator, db_url) | {
            "SLACK_SIGNING_SECRET": emulator.signing_secret,
            "PORT": str(port),  # no --port: the PORT variable decides
        }
        proc = launch(["serve", "--host", "127.0.0.1"], env)
        base = f"http://127.0.0.1:{port}"
        with killed_at_end(proc):
            wait_alive(base, proc)
            yield Running(emulator, proc, base, db_url.startswith("postgresql"))


@pytest.fixture
def started(db_url: str) -> Iterator[Running]:
    with SlackEmulator(manifest=APP_MANIFEST) as emulator:
        port = free_port()
        env = environment(emulator, db_url) | {"SLACK_APP_TOKEN": emulator.app_token}
        proc = launch(["start", "--host", "127.0.0.1", "--port", str(port)], env)
        base = f"http://127.0.0.1:{port}"
        with killed_at_end(proc):
            try:
                emulator.socket_mode.wait_connected(timeout=60)
            except SocketModeError:
                proc.kill()
                raise AssertionError(f"never connected: {proc.communicate()}") from None
            wait_alive(base, proc)
            yield Running(emulator, proc, base, db_url.startswith("postgresql"))


def test_serve_probes_metrics_and_sigterm_mid_request(served: Running) -> None:
    emulator = served.emulator
    assert json.loads(get(served.base + "/healthz")[1]) == {"ok": True}
    # /readyz is first asked below, mid-shutdown (asked here, its auth.test would be cached).
    assert sample(served.base, "cxpulse_scheduler_leader") == 1
    actor = SlackClientActor(emulator, served.base + "/slack/events")
    user = emulator.add_user(name="hal")["id"]
    assert actor.slash_command(user, "help").status == 200
    assert sample(served.base, 'cxpulse_slack_requests_total{kind="command"}') == 1
    assert sample(served.base, 'cxpulse_slack_ack_seconds_count{kind="command"}') == 1

    # SIGTERM while a request is in flight: it is answered, new connections are refused.
    port = int(served.base.rsplit(":", 1)[1])
    asked = len(emulator.calls_to("auth.test"))
    # Slack takes 3 s to answer auth.test: /readyz is in flight when SIGTERM arrives.
    emulator.inject_fault("auth.test", "timeout", delay=3.0)
    answers: list[tuple[int, bytes]] = []
    probe = threading.Thread(target=lambda: answers.append(get(served.base + "/readyz", 20)))
    probe.start()
    wait_until(lambda: len(emulator.calls_to("auth.test")) > asked, what="auth.test")
    served.proc.send_signal(signal.SIGTERM)
    wait_until(lambda: refused(port), what="new connections refused", timeout=2.5)
    assert not answers  # still in flight while new connections are refused
    probe.join(timeout=20)
    code, out = served.output_after_exit()
    assert len(answers) == 1
    assert answers[0][0] == 200, answers
    assert json.loads(answers[0][1])["ready"] is True
    assert code == 0, out
    assert "SIGTERM received" in out
    if served.postgres:  # on SQLite the one process always leads; nothing to release
        assert RELEASED in out


def test_start_serves_probes_and_stops_cleanly_on_sigterm(started: Running) -> None:
    assert get(started.base + "/healthz")[0] == 200
    status, body = get(started.base + "/readyz")
    assert status == 200, body
    assert json.loads(body)["checks"]["slack"] == "ok"
    actor = SlackClientActor(started.emulator, socket_mode=True, timeout=30)
    user = started.emulator.add_user(name="hal")["id"]
    assert actor.slash_command(user, "help").json is not None
    assert sample(started.base, 'cxpulse_slack_requests_total{kind="command"}') == 1
    assert sample(started.base, "cxpulse_scheduler_leader") == 1
    started.proc.send_signal(signal.SIGTERM)
    code, out = started.output_after_exit()
    assert code == 0, out
    assert "SIGTERM received" in out
    if started.postgres:
        assert RELEASED in out
    assert refused(int(started.base.rsplit(":", 1)[1]))
