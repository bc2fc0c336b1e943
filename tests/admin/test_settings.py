"""Admin settings: validation, storage, and effective_config's precedence over the environment."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy.orm import Session

from bot.admin.digest_channels import (
    DigestForm,
    add_digest_channel,
    remove_digest_channel,
    validate_digest_form,
)
from bot.admin.store import (
    AdminForm,
    parse_values,
    save_admin_choices,
    validate_admin_form,
)
from bot.config import ConfigError, Settings
from bot.workspace.config import DigestChannel, effective_config
from bot.workspace.store import ensure_team, ensure_workspace

ENV = Settings(
    celebrations_channel="#wins",
    digest_channels=("#digest",),
    leads=("@leads",),
    anonymity_threshold=6,
    timezone="Europe/London",
)
GOOD = AdminForm(
    celebrations_channel="C123",
    lead_users=["U1", "U2"],
    lead_groups=["S9", "U1"],
    team_groups=["S1", "S2", "S1"],
    pulse_time="09:15",
    working_days=["4", "0", "0"],
    anonymity_threshold="3",
    company_values="#Care, #grit  speed",
    toggles=["second_question"],
)


def test_valid_form_is_normalised() -> None:
    choices, errors = validate_admin_form(GOOD)
    assert errors == {}
    assert choices is not None
    assert choices.leads == ("U1", "U2", "S9")
    assert choices.team_groups == ("S1", "S2")
    assert choices.working_days == (0, 4)
    assert choices.pulse_time == time(9, 15)
    assert choices.company_values == ("care", "grit", "speed")
    assert (choices.second_question_enabled, choices.enps_enabled) == (True, False)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"anonymity_threshold": "2"}, "anonymity_threshold"),
        ({"anonymity_threshold": "1001"}, "anonymity_threshold"),
        ({"anonymity_threshold": "4.5"}, "anonymity_threshold"),
        ({"anonymity_threshold": None}, "anonymity_threshold"),
        ({"working_days": []}, "working_days"),
        ({"working_days": ["7"]}, "working_days"),
        ({"working_days": ["mon"]}, "working_days"),
        ({"pulse_time": "7pm"}, "pulse_time"),
        ({"pulse_time": None}, "pulse_time"),
        ({"company_values": ""}, "company_values"),
        ({"company_values": "#ok #not/ok"}, "company_values"),
        ({"company_values": " ".join(f"v{i}" for i in range(21))}, "company_values"),
        ({"team_groups": [f"S{i}" for i in range(51)]}, "team_groups"),
    ],
)
def test_each_invalid_field_is_reported_alone(change: dict[str, object], field: str) -> None:
    form = AdminForm(**{**GOOD.__dict__, **change})  # type: ignore[arg-type]
    choices, errors = validate_admin_form(form)
    assert choices is None
    assert set(errors) == {field}


def test_parse_values_accepts_hashes_commas_and_spaces() -> None:
    assert parse_values(" #A,b  #c ,, ") == ["a", "b", "c"]


def test_stored_choices_override_the_environment(session: Session) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        other = ensure_workspace(session, slack_team_id="T2")
        assert effective_config(session, settings=ENV, workspace=ws).leads == ("@leads",)
        choices, _ = validate_admin_form(GOOD)
        assert choices is not None
        save_admin_choices(session, workspace=ws, choices=choices, user_id="UADMIN")
        config = effective_config(session, settings=ENV, workspace=ws)
        assert config.celebrations_channel == "C123"
        assert config.anonymity_threshold == 3
        assert config.pulse_time == time(9, 15)
        assert config.working_days == (0, 4)
        # Not set by admins: still the environment's.
        assert config.digest_channels == (DigestChannel("#digest", timezone="Europe/London"),)
        assert config.timezone == "Europe/London"
        # Another workspace keeps the defaults.
        assert effective_config(session, settings=ENV, workspace=other).anonymity_threshold == 6
        assert effective_config(session, settings=ENV).leads == ("@leads",)
        # Saving again updates rather than duplicates.
        save_admin_choices(session, workspace=ws, choices=choices, user_id="UADMIN")


def test_digest_channels_replace_the_environment_list(session: Session) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        team = ensure_team(session, workspace=ws, name="Support")
        form = DigestForm(
            channel="C9",
            team=str(team.id),
            weekday="2",
            local_time="17:30",
            timezone="America/New_York",
        )
        row, errors = validate_digest_form(session, workspace=ws, form=form)
        assert errors == {}
        assert row is not None
        add_digest_channel(session, workspace=ws, row=row, user_id="UADMIN")
        assert effective_config(session, settings=ENV, workspace=ws).digest_channels == (
            DigestChannel("C9", "Support", 2, time(17, 30), "America/New_York"),
        )
        again, errors = validate_digest_form(session, workspace=ws, form=form)
        assert again is None
        assert set(errors) == {"channel"}
        assert remove_digest_channel(session, workspace=ws, digest_id=row.id, user_id="U")
        assert effective_config(session, settings=ENV, workspace=ws).digest_channels == ()


@pytest.mark.parametrize(
    ("form", "fields"),
    [
        (DigestForm(channel=None, weekday="0", local_time="09:00", timezone="UTC"), {"channel"}),
        (
            DigestForm(channel="C1", team="999", weekday="0", local_time="09:00", timezone="UTC"),
            {"team"},
        ),
        (DigestForm(channel="C1", weekday="9", local_time="09:00", timezone="UTC"), {"weekday"}),
        (DigestForm(channel="C1", weekday="0", local_time="9", timezone="UTC"), {"local_time"}),
        (
            DigestForm(channel="C1", weekday="0", local_time="09:00", timezone="Nowhere/X"),
            {"timezone"},
        ),
    ],
)
def test_digest_form_errors(session: Session, form: DigestForm, fields: set[str]) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        row, errors = validate_digest_form(session, workspace=ws, form=form)
        assert row is None
        assert set(errors) == fields


def test_delete_on_uninstall_setting() -> None:
    assert Settings.from_env({}).delete_on_uninstall is False
    assert Settings.from_env({"CXPULSE_DELETE_ON_UNINSTALL": "true"}).delete_on_uninstall is True
    with pytest.raises(ConfigError, match="CXPULSE_DELETE_ON_UNINSTALL"):
        Settings.from_env({"CXPULSE_DELETE_ON_UNINSTALL": "perhaps"})
