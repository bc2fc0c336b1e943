"""Daily pulse fan-out against the Slack emulator under a Slack-like rate limit.

Usage: python bench/pulse_fanout.py [--quick]

N people (10,000; --quick: 500) are due at the same instant. The emulator
allows chat.postMessage at RATE per second (429 + Retry-After beyond it) and
injects 5xx errors (2%), a few extra 429s and timeouts (the message is posted
but the client gives up), and a few "post, then fail" answers (a 5xx or a dropped
connection after Slack posted the DM). The first run crashes after half the people (a
client that dies like a killed process, right after Slack accepted a
message); the scheduler's next runs take over the stale claims.

Prints one JSON line per figure, last: the fan-out rate against the allowed
rate (target ≥ 0.9), duplicate DMs (target 0) and people left without one
(target 0), counted from the emulator's own record of every DM channel.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from sqlalchemy import select

from bot.core.slack import retry_handlers
from bot.pulse.delivery import send_due_pulses
from models import Person
from slack_emulator.crash import CrashingClient, SimulatedCrash
from slack_emulator.registry import Context, open_dm
from tests.support.stack import SandboxStack

PULSE_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday 10:00 in London
ZONES = ("Europe/London", "Africa/Abidjan", "Atlantic/Reykjavik")  # all UTC+0 in March


def figure(
    name: str,
    value: float,
    unit: str,
    anchor: str,
    anchor_value: float,
    target: float,
    *,
    higher_is_better: bool,
) -> dict[str, object]:
    """One benchmark figure in the shared JSON shape."""
    ratio = value / anchor_value if anchor_value else 0.0
    met = ratio >= target if higher_is_better else value <= target
    return {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "anchor": anchor,
        "anchor_value": anchor_value,
        "ratio": round(ratio, 4),
        "target": target,
        "met": met,
    }


def seed_open_dms(stack: SandboxStack) -> None:
    """DMs opened on an earlier day: open them in the emulator and cache their ids, as the app
    does after its first pulse (steady state: no conversations.open on later days)."""
    emulator = stack.emulator
    ws = emulator.workspace()
    ctx = Context(emulator.state, ws, emulator.base_url, "A0", "c", "s")
    with emulator.state.lock:
        dms = {u.id: open_dm(ctx, u)[0].id for u in ws.users.values() if u.name.startswith("p")}
    with stack.runtime.transaction() as session:
        for person in session.scalars(select(Person)):
            person.dm_channel_id = dms.get(person.slack_user_id)


def run(people: int, rate: float, db_url: str) -> list[dict[str, object]]:
    """Seed, fan out with a crash and faults, resume, and measure."""
    stack = SandboxStack.start(db_url, now=PULSE_AT - timedelta(hours=2))
    try:
        emulator = stack.emulator
        for i in range(people):
            emulator.add_user(name=f"p{i:05d}", tz=ZONES[i % len(ZONES)])
        stack.run_job("sync-users")
        seed_open_dms(stack)
        emulator.set_rate_limit("chat.postMessage", per_second=rate, burst=max(1, int(2 * rate)))
        emulator.inject_fault("chat.postMessage", "ratelimited", times=5)
        emulator.inject_fault("chat.postMessage", "timeout", times=3, delay=3.0)
        emulator.inject_fault("chat.postMessage", "server_error", times=3, done=True, status=503)
        emulator.inject_fault("chat.postMessage", "disconnect", times=3, done=True)
        emulator.inject_fault_rate("chat.postMessage", "server_error", 0.02, seed=42)
        crashing = CrashingClient(
            crash_after=people // 2,
            token=stack.settings.slack_bot_token,
            base_url=stack.settings.slack_api_url,
            timeout=2,
            retry_handlers=retry_handlers(),
        )
        started = time.perf_counter()
        with contextlib.suppress(SimulatedCrash):
            send_due_pulses(stack.runtime, crashing, team_id=emulator.team_id, now=PULSE_AT)
        crashing.settle()
        busy = time.perf_counter() - started
        # The scheduler's next ticks (simulated time moves on; wall time is what we measure).
        for minutes in (15, 30, 45):
            tick = time.perf_counter()
            stack.run_job("pulses", PULSE_AT + timedelta(minutes=minutes))
            busy += time.perf_counter() - tick
        per_person = Counter()
        with emulator.state.lock:
            for user_id, channel_id in emulator.workspace().dms.items():
                per_person[user_id] = len(emulator.workspace().channels[channel_id].messages)
        humans = [u for u in emulator.workspace().users.values() if u.name.startswith("p")]
        delivered = sum(1 for u in humans if per_person.get(u.id, 0) >= 1)
        duplicates = sum(max(0, per_person.get(u.id, 0) - 1) for u in humans)
        lost = sum(1 for u in humans if per_person.get(u.id, 0) == 0)
    finally:
        stack.stop()
    fanout_rate = delivered / busy
    return [
        figure(
            "pulse_fanout_rate",
            fanout_rate,
            "messages/s",
            "emulator chat.postMessage allowed rate",
            rate,
            0.9,
            higher_is_better=True,
        ),
        figure(
            "pulse_fanout_duplicates",
            duplicates,
            "DMs",
            "people",
            people,
            0,
            higher_is_better=False,
        ),
        figure("pulse_fanout_lost", lost, "people", "people", people, 0, higher_is_better=False),
    ]


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 people, for CI")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    people, rate = (500, 50.0) if args.quick else (10_000, 50.0)
    with tempfile.TemporaryDirectory() as tmp:
        figures = run(people, rate, f"sqlite:///{tmp}/bench.sqlite3")
    for line in figures:
        print(json.dumps(line))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
