"""Every text that promises anonymity states the threshold actually configured."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.support.stack import SandboxStack
from tests.support.waiting import wait_until

PULSE_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def seven(db_url: str) -> Iterator[SandboxStack]:
    with SandboxStack.start(db_url, now=PULSE_AT, migrate=False, anonymity_threshold=7) as s:
        yield s


def test_the_dm_home_help_and_settings_say_seven(seven: SandboxStack) -> None:
    user = seven.emulator.add_user(name="ann", tz="Europe/London")["id"]
    seven.run_job("sync-users")
    seven.run_job("pulses", PULSE_AT)
    dm = json.dumps(seven.actor.latest_message(seven.actor.dm_of(user)), ensure_ascii=False)
    help_reply = json.dumps(seven.actor.slash_command(user, "help").json, ensure_ascii=False)
    seven.actor.app_home_opened(user)
    (home,) = seven.emulator.wait_for("views.publish")
    seven.actor.slash_command(user, "settings")
    settings = wait_until(lambda: seven.emulator.calls_to("views.open"), what="settings")
    texts = {
        "dm": dm,
        "help": help_reply,
        "home": json.dumps(home.args["view"], ensure_ascii=False),
        "settings": json.dumps(settings[0].args["view"], ensure_ascii=False),
    }
    for where, text in texts.items():
        assert "5 or more" not in text, where
        assert "least 5" not in text, where
    assert "7" in texts["dm"]
    assert "7 or more" in texts["dm"]
    assert "7 or more" in texts["help"] or "at least 7" in texts["help"]
    assert "7 or more" in texts["home"]
