"""A realistic team over six time zones, driven through the real pulse job and real taps.

The judge (these helpers) knows who wrote what; the attacker (``attacks.py``) only gets
the database dump. Every person answers on most days, a few add notes, everyone gets
the monthly questions, and a newcomer joins mid-week (and gets eNPS on their first day).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text

from bot.app import all_jobs
from bot.core import ids
from tests.support.dm_taps import buttons
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view, wait_until

# Sunday 1 March 2026 noon UTC: the first pulses (Tokyo, Monday morning) come that night.
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
)
PER_ZONE = 2
NEWCOMER_JOINS = datetime(2026, 3, 3, 23, 30, tzinfo=UTC)  # before Wednesday anywhere
DAYS = 6
SKIP_SHARE = 0.5  # of the pulses not answered, the share skipped with "skip today"
LEADS = ("ULONDON0", "UKOLKAT1")
# Settings an admin would give this team: the user group defines it, two leads.
TEAM_SETTINGS = {
    "team_groups": ("support",),
    "leads": LEADS,
}  # Sunday noon UTC to Saturday noon UTC: Monday to Friday everywhere


@dataclass
class Truth:
    """What really happened: who answered, noted and answered a second question, and when."""

    team: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    newcomer: str = ""
    # (user, local pulse date, kind) for every row the app should have stored.
    written: list[tuple[str, date, str]] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # note text -> author
    skipped: list[tuple[str, date]] = field(default_factory=list)  # "skip today" clicks


def build_team(stack: SandboxStack) -> Truth:
    """Twelve people in one team user group (two leads), six time zones."""
    truth = Truth()
    emulator = stack.emulator
    for zone in ZONES:
        for i in range(PER_ZONE):
            city = zone.split("/")[1].lower()
            uid = f"U{city.upper()[:6]}{i}"
            truth.team.append(emulator.add_user(uid, name=f"{city}{i}", tz=zone)["id"])
    truth.leads = list(LEADS)
    emulator.add_usergroup("support", "Support", truth.team)
    return truth


def _pulse_dms(stack: SandboxStack, user: str) -> list[dict[str, Any]]:
    try:
        dm = stack.actor.dm_of(user)
    except AssertionError:
        return []
    return [
        m
        for m in stack.emulator.messages(dm)
        if (m.get("metadata") or {}).get("event_type") == "cxpulse_pulse"
    ]


def _local_day(stack: SandboxStack, user: str, ts: str) -> date:
    from zoneinfo import ZoneInfo

    tz = stack.emulator.workspace().users[user].tz
    return datetime.fromtimestamp(float(ts), UTC).astimezone(ZoneInfo(tz)).date()


def _settle(stack: SandboxStack, table: str, truth: Truth, kind: str) -> None:
    """Wait until the app (which acks first, then works) stored the row the tap made."""
    if kind == "extra":
        want = sum(1 for *_, k in truth.written if k not in ("answer", "note"))
    else:
        want = sum(1 for *_, k in truth.written if k == kind)

    def stored() -> bool:
        with stack.runtime.sessions() as session:
            return session.scalar(text(f"SELECT count(*) FROM {table}")) == want  # noqa: S608

    wait_until(stored, what=f"{want} rows in {table}")


def _with_note_button(stack: SandboxStack, dm: str, ts: str) -> dict[str, Any] | None:
    now = next(m for m in stack.emulator.messages(dm) if m["ts"] == ts)
    return now if buttons(now, "pulse_note") else None


def _answer(stack: SandboxStack, truth: Truth, rng: random.Random, user: str, msg: Any) -> None:
    day = _local_day(stack, user, str(msg["ts"]))
    faces = buttons(msg, "pulse_score_")
    stack.actor.click(user, message=msg, value=rng.choice(faces)["value"])
    truth.written.append((user, day, "answer"))
    _settle(stack, "pulse_answer", truth, "answer")
    if not buttons(msg, "pulse_note"):
        # The old DM showed the note button and second question only after the tap, in place.
        dm = stack.actor.dm_of(user)
        ts = msg["ts"]
        msg = wait_until(lambda: _with_note_button(stack, dm, ts), what="the updated DM")
    extras = buttons(msg, "pulse_extra_")
    if extras and rng.random() < 0.9:
        key = str(extras[0]["value"]).split(":")[1]
        stack.actor.click(user, message=msg, value=rng.choice(extras)["value"])
        truth.written.append((user, day, key))
        _settle(stack, "pulse_extra_answer", truth, "extra")
    if rng.random() < 0.4:
        stack.actor.click(user, message=msg, action_id="pulse_note")
        view = open_view(stack.emulator, ids.PULSE_NOTE_VIEW)
        text = f"note {len(truth.notes)} about the week"
        stack.actor.submit_view(user, view, {"pulse_note_text": text})
        truth.notes[text] = user
        truth.written.append((user, day, "note"))
        _settle(stack, "pulse_note", truth, "note")


def drive_week(
    stack: SandboxStack, *, seed: int = 16, after_hour: Callable[[int], None] | None = None
) -> Truth:
    """Run every job hourly for a working week; people tap soon after their DM arrives.

    ``after_hour(hour)`` is called once each hour's taps are stored (e.g. to take a dump
    mid-week, as a nightly backup would).
    """
    rng = random.Random(seed)
    skip_rng = random.Random(seed + 1)
    truth = build_team(stack)
    stack.run_job("sync-users", START)
    seen: set[str] = set()
    names = sorted(all_jobs())
    for hour in range(DAYS * 24):
        now = START + timedelta(hours=hour)
        if not truth.newcomer and now >= NEWCOMER_JOINS:
            truth.newcomer = stack.emulator.add_user(
                "UNEWCOMER", name="newcomer", tz="Europe/London"
            )["id"]
            truth.team.append(truth.newcomer)
            stack.emulator.add_usergroup("support", "Support", truth.team)
            stack.run_job("sync-users", now)
        for name in names:
            if name not in ("sync-users",):
                stack.run_job(name, now)
        for user in truth.team:
            for msg in _pulse_dms(stack, user):
                if msg["ts"] in seen:
                    continue
                seen.add(msg["ts"])
                stack.clock.set(now + timedelta(minutes=3 + len(seen) % 7))
                if rng.random() < 0.85:
                    _answer(stack, truth, rng, user, msg)
                elif skip_rng.random() < SKIP_SHARE:
                    # "Skip today" (its own RNG: the answers stay what they were).
                    stack.actor.click(user, message=msg, action_id=ids.PULSE_SKIP)
                    stack.runtime.background.wait_idle(timeout=5)
                    truth.skipped.append((user, _local_day(stack, user, str(msg["ts"]))))
        if after_hour is not None:
            after_hour(hour)
    # A week later, every answer window has long closed; the jobs have run meanwhile.
    for hour in range(0, 7 * 24, 6):
        for name in names:
            if name not in ("sync-users",):
                stack.run_job(name, START + timedelta(days=DAYS, hours=hour))
    return truth
