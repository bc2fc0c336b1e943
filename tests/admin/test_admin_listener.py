"""The `/cx admin` modal's submit through ``app.dispatch(BoltRequest)``: the same app, no server."""

from __future__ import annotations

from datetime import time

from bot.core import ids
from tests.support.admin import VALID, admin_config, admin_user, open_admin
from tests.support.dispatch import DispatchedApp


def test_a_valid_submit_is_stored_and_the_modal_says_so(dispatched: DispatchedApp) -> None:
    admin = admin_user(dispatched)
    view = open_admin(dispatched, admin)

    answer = dispatched.actor.submit_view(admin, view, VALID)
    dispatched.drain()

    assert answer.status == 200
    assert answer.json is not None
    assert answer.json["response_action"] == "update"
    config = admin_config(dispatched)
    assert config.pulse_time == time(8, 30)
    assert config.working_days == (0, 2, 4)
    assert config.anonymity_threshold == 7
    assert config.company_values == ("customer-first", "ownership", "grit")


def test_a_bad_field_is_answered_inline_and_nothing_is_stored(dispatched: DispatchedApp) -> None:
    admin = admin_user(dispatched)
    view = open_admin(dispatched, admin)

    answer = dispatched.actor.submit_view(admin, view, {**VALID, ids.ADMIN_THRESHOLD: "2"})
    dispatched.drain()

    assert answer.json is not None
    assert answer.json["response_action"] == "errors"
    assert ids.ADMIN_THRESHOLD in answer.json["errors"]
    assert admin_config(dispatched).anonymity_threshold == 5  # the environment's default


def test_someone_who_is_not_an_admin_gets_no_modal(dispatched: DispatchedApp) -> None:
    user = dispatched.emulator.add_user(name="norm")["id"]

    reply = dispatched.actor.slash_command(user, "admin")
    dispatched.drain()

    assert reply.status == 200
    assert dispatched.emulator.calls_to("views.open") == []
    assert admin_config(dispatched).anonymity_threshold == 5
