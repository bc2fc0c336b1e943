"""Six time zones, two DST changes: one pulse each at local 10:00, on working days only.

The expected instants below are worked out by hand (not with the app's code).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.stack import SandboxStack


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


PEOPLE = {
    "ny": "America/New_York",  # EST -5, EDT -4 from Sun 8 March
    "london": "Europe/London",  # GMT, BST +1 from Sun 29 March
    "kolkata": "Asia/Kolkata",  # +5:30
    "chatham": "Pacific/Chatham",  # +13:45 until 5 April
    "stjohns": "America/St_Johns",  # -3:30, -2:30 from Sun 8 March
    "paused": "Europe/Paris",  # CET +1, CEST +2 from Sun 29 March; pauses 2–8 March
}
# Windows: Fri 6 – Mon 9 March (US change) and Fri 27 – Mon 30 March (EU change), in UTC.
WINDOWS = [(utc(3, 6, 0), utc(3, 10, 0)), (utc(3, 27, 0), utc(3, 31, 0))]
EXPECTED = {
    "ny": [utc(3, 6, 15), utc(3, 9, 14), utc(3, 27, 14), utc(3, 30, 14)],
    "london": [utc(3, 6, 10), utc(3, 9, 10), utc(3, 27, 10), utc(3, 30, 9)],
    "kolkata": [utc(3, 6, 4, 30), utc(3, 9, 4, 30), utc(3, 27, 4, 30), utc(3, 30, 4, 30)],
    # Local Mon and Tue mornings are Sun and Mon evenings in UTC; local Sat (Fri 20:15) is off.
    "chatham": [utc(3, 8, 20, 15), utc(3, 9, 20, 15), utc(3, 29, 20, 15), utc(3, 30, 20, 15)],
    "stjohns": [utc(3, 6, 13, 30), utc(3, 9, 12, 30), utc(3, 27, 12, 30), utc(3, 30, 12, 30)],
    "paused": [utc(3, 9, 9), utc(3, 27, 9), utc(3, 30, 8)],
}


def probe_instants() -> list[datetime]:
    """Every expected instant, one minute before each, and a 3-hourly grid (the catch-up)."""
    probes: set[datetime] = set()
    for instants in EXPECTED.values():
        for instant in instants:
            probes.update({instant, instant - timedelta(minutes=1)})
    for start, end in WINDOWS:
        tick = start
        while tick < end:
            probes.add(tick)
            tick += timedelta(hours=3)
    return sorted(probes)


def test_one_pulse_each_at_local_time_across_dst(stack: SandboxStack) -> None:
    ids = {name: stack.emulator.add_user(name=name, tz=tz)["id"] for name, tz in PEOPLE.items()}
    stack.run_job("sync-users")
    # Monday 2 March, 09:00 in Paris: pause for 7 days (through Sunday 8 March).
    reply = stack.actor.slash_command(ids["paused"], "pause 7")
    assert "paused through Sun 8 Mar" in reply.json["text"]
    name_of = {user_id: name for name, user_id in ids.items()}

    got: dict[str, list[datetime]] = {name: [] for name in PEOPLE}
    for probe in probe_instants():
        before = len(stack.emulator.calls_to("chat.postMessage"))
        stack.run_job("pulses", probe)
        for call in stack.emulator.calls_to("chat.postMessage")[before:]:
            assert call.ok, call.summary()
            channel = stack.emulator.workspace().channels[call.args["channel"]]
            got[name_of[str(channel.user)]].append(probe)

    assert got == EXPECTED
    for name, user_id in ids.items():
        assert len(stack.emulator.messages(stack.actor.dm_of(user_id))) == len(EXPECTED[name])
    # The DM was opened once per person and cached, not re-opened every day.
    assert len(stack.emulator.calls_to("conversations.open")) == len(PEOPLE)
