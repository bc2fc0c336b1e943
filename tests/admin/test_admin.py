"""`/cx admin` over signed HTTP: refusals, the full round-trip, inline errors, digest channels."""

from __future__ import annotations

from datetime import time
from typing import Any

from sqlalchemy import select

from bot.admin.store import REFUSAL
from bot.core import ids
from bot.workspace.config import DigestChannel
from bot.workspace.store import ensure_team, ensure_workspace
from handlers.celebrations import NO_CHANNEL
from handlers.digest import NOT_A_LEAD
from models import DigestChannelSetting
from tests.support.admin import VALID, admin_config, admin_user, open_admin
from tests.support.stack import START, SandboxStack
from tests.support.waiting import open_view, response_text, wait_until


def _element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    element: dict[str, Any] = block["element"]
    return element


def test_non_admin_is_refused(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="norm")["id"]
    assert stack.actor.slash_command(user, "admin").status == 200
    body = response_text(stack.emulator)
    assert body["text"] == REFUSAL
    assert body.get("response_type") == "ephemeral"
    assert stack.emulator.calls_to("views.open") == []


def test_admin_modal_round_trips_every_setting(stack: SandboxStack) -> None:
    admin = admin_user(stack)
    lead = stack.emulator.add_user(name="lee")["id"]
    wins = stack.emulator.add_channel("wins")
    leads = stack.emulator.add_usergroup(handle="leads", name="Leads", users=[lead])
    support = stack.emulator.add_usergroup(handle="support", name="Support", users=[lead])
    view = open_admin(stack, admin)
    assert _element(view, ids.ADMIN_THRESHOLD)["initial_value"] == "5"  # the env default

    answer = stack.actor.submit_view(
        admin,
        view,
        {
            **VALID,
            ids.ADMIN_CELEBRATIONS: wins,
            ids.ADMIN_LEAD_USERS: [lead],
            ids.ADMIN_LEAD_GROUPS: [leads],
            ids.ADMIN_TEAM_GROUPS: [support],
        },
    )
    assert answer.json is not None
    assert answer.json["response_action"] == "update"
    config = admin_config(stack)
    assert config.celebrations_channel == wins
    assert config.leads == (lead, leads)
    assert config.team_groups == (support,)
    assert config.pulse_time == time(8, 30)
    assert config.working_days == (0, 2, 4)
    assert config.anonymity_threshold == 7
    assert config.company_values == ("customer-first", "ownership", "grit")
    assert (config.second_question_enabled, config.enps_enabled) == (False, True)

    again = open_admin(stack, admin, count=2)
    assert _element(again, ids.ADMIN_CELEBRATIONS)["initial_conversation"] == wins
    assert _element(again, ids.ADMIN_LEAD_USERS)["initial_users"] == [lead]
    assert [o["value"] for o in _element(again, ids.ADMIN_LEAD_GROUPS)["initial_options"]] == [
        leads
    ]
    assert [o["value"] for o in _element(again, ids.ADMIN_TEAM_GROUPS)["initial_options"]] == [
        support
    ]
    assert _element(again, ids.ADMIN_PULSE_TIME)["initial_time"] == "08:30"
    days = _element(again, ids.ADMIN_WORKING_DAYS)["initial_options"]
    assert [o["value"] for o in days] == ["0", "2", "4"]
    assert _element(again, ids.ADMIN_THRESHOLD)["initial_value"] == "7"
    assert _element(again, ids.ADMIN_VALUES)["initial_value"] == "#customer-first #ownership #grit"
    assert [o["value"] for o in _element(again, ids.ADMIN_TOGGLES)["initial_options"]] == ["enps"]

    # The directory sync now builds teams from the stored group, not the environment.
    stack.run_job("sync-users")
    with stack.runtime.sessions() as session:
        from models import Person, Team

        rows = dict(session.execute(select(Person.slack_user_id, Team.name).join(Team)).all())
    assert rows == {lead: "Support"}


INVALID: list[tuple[str, Any]] = [
    (ids.ADMIN_THRESHOLD, "2"),
    (ids.ADMIN_THRESHOLD, "many"),
    (ids.ADMIN_WORKING_DAYS, []),
    (ids.ADMIN_VALUES, "#customer first!"),
    (ids.ADMIN_PULSE_TIME, "25:00"),
]


def test_each_invalid_setting_gets_an_inline_error(stack: SandboxStack) -> None:
    admin = admin_user(stack)
    view = open_admin(stack, admin)
    for block_id, bad in INVALID:
        values, shown = {**VALID, block_id: bad}, view
        if block_id == ids.ADMIN_WORKING_DAYS:
            # Slack itself refuses to submit an empty required input; the app must still check.
            values.pop(block_id)
            shown = {**view, "blocks": [b for b in view["blocks"] if b.get("block_id") != block_id]}
        answer = stack.actor.submit_view(admin, shown, values)
        assert answer.json is not None, block_id
        assert answer.json["response_action"] == "errors"
        assert set(answer.json["errors"]) == {block_id}
        assert admin_config(stack).anonymity_threshold == 5  # nothing saved
    # The modal stayed open through every error, and a good submission still saves.
    assert view["id"] in stack.emulator.open_views
    saved = stack.actor.submit_view(admin, view, VALID)
    assert saved.json is not None
    assert saved.json["response_action"] == "update"
    assert admin_config(stack).anonymity_threshold == 7


def test_digest_channels_are_added_and_removed_in_a_pushed_modal(stack: SandboxStack) -> None:
    admin = admin_user(stack)
    digest = stack.emulator.add_channel("cx-digest")
    with stack.runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=stack.emulator.team_id)
        team_id = ensure_team(session, workspace=ws, name="Support").id
    view = open_admin(stack, admin)
    stack.actor.click(admin, view=view, action_id=ids.ADMIN_DIGEST_ADD)
    stack.emulator.wait_for("views.push")
    child = open_view(stack.emulator, ids.ADMIN_DIGEST_VIEW)

    base = {
        ids.DIGEST_CHANNEL: digest,
        ids.DIGEST_SCOPE: str(team_id),
        ids.DIGEST_WEEKDAY: "4",
        ids.DIGEST_TIME: "16:00",
    }
    bad = stack.actor.submit_view(admin, child, {**base, ids.DIGEST_TIMEZONE: "Mars/Olympus"})
    assert bad.json is not None
    assert set(bad.json["errors"]) == {ids.DIGEST_TIMEZONE}

    ok = stack.actor.submit_view(admin, child, {**base, ids.DIGEST_TIMEZONE: "Europe/Paris"})
    assert ok.status == 200
    assert not ok.json
    (update,) = stack.emulator.wait_for("views.update")
    assert update.args["view_id"] == view["id"]
    assert admin_config(stack).digest_channels == (
        DigestChannel(digest, "Support", 4, time(16, 0), "Europe/Paris", "en"),
    )

    parent = stack.emulator.open_views[view["id"]]
    stack.actor.click(admin, view=parent, action_id=ids.ADMIN_DIGEST_REMOVE)
    stack.emulator.wait_for("views.update", count=2)
    with stack.runtime.sessions() as session:
        assert session.scalars(select(DigestChannelSetting)).all() == []
    # Removing the last one leaves none: the environment's list no longer applies.
    assert admin_config(stack).digest_channels == ()
    wait_until(lambda: stack.emulator.open_views.get(view["id"]), what="parent view")


def test_saving_the_settings_keeps_everyone_a_lead(db_url: str) -> None:
    with SandboxStack.start(db_url, now=START, migrate=False, leads=("everyone",)) as stack:
        admin = admin_user(stack)
        view = open_admin(stack, admin)
        saved = stack.actor.submit_view(admin, view, {})  # saved as shown, nothing touched
        assert saved.json is not None
        assert saved.json["response_action"] == "update"
        assert "everyone" in admin_config(stack).leads

        # Still in force: someone named nowhere may celebrate. `everyone` widens who may
        # celebrate and nothing else, so the digest preview stays for named leads.
        someone = stack.emulator.add_user(name="sam")["id"]
        assert stack.actor.slash_command(someone, "celebrate").status == 200
        # No celebrations channel in this sandbox: past the permission check, that is what
        # a celebrating member is told (a refusal would say celebrations are for leads).
        assert response_text(stack.emulator, index=0)["text"] == NO_CHANNEL
        assert stack.actor.slash_command(someone, "digest").status == 200
        assert response_text(stack.emulator, index=1)["text"] == NOT_A_LEAD

        # And the admin can take it back.
        again = open_admin(stack, admin, count=2)
        stack.actor.submit_view(admin, again, {ids.ADMIN_LEADS_EVERYONE: []})
        assert "everyone" not in admin_config(stack).leads
