"""What replies only show (threshold, language) is kept briefly, and a change made here is
seen at once: bot/core/display.py."""

from __future__ import annotations

import time

from sqlalchemy import event

from bot.core.display import DisplayCache
from tests.support.dispatch import DispatchedApp


def test_a_value_is_read_once_then_kept_until_it_expires_or_is_forgotten() -> None:
    cache = DisplayCache(seconds=0.2)
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert cache.get(("k",), read) == 1
    assert cache.get(("k",), read) == 1
    cache.forget(("k",))
    assert cache.get(("k",), read) == 2
    time.sleep(0.25)
    assert cache.get(("k",), read) == 3


def test_a_second_help_is_answered_without_a_database_read(dispatched: DispatchedApp) -> None:
    user = dispatched.emulator.add_user(name="max")["id"]
    first = dispatched.actor.slash_command(user, "help")
    assert first.status == 200
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    engine = dispatched.runtime.sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        second = dispatched.actor.slash_command(user, "help")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert second.status == 200
    assert second.body == first.body
    assert [s for s in statements if s.lstrip().upper().startswith("SELECT")] == []
