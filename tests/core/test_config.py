"""Settings: defaults, parsing, and clear errors per run mode."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, RunMode, Settings


def test_defaults_match_the_design() -> None:
    s = Settings.from_env({})
    assert s.slack_api_url == "https://slack.com/api/"
    assert s.database_url == "sqlite:///cxpulse.db"
    assert s.timezone == "UTC"
    assert s.anonymity_threshold == 5
    assert s.team_groups == ()
    assert s.leads == ()


def test_lists_and_urls_are_parsed() -> None:
    s = Settings.from_env(
        {
            "CXPULSE_TEAM_GROUPS": "S1, @support ,",
            "CXPULSE_LEADS": "U1,U2",
            "CXPULSE_DIGEST_CHANNELS": "#cx-weekly,C9",
            "SLACK_API_URL": "http://127.0.0.1:9/api",
            "CXPULSE_ANONYMITY_THRESHOLD": "7",
        }
    )
    assert s.team_groups == ("S1", "@support")
    assert s.leads == ("U1", "U2")
    assert s.digest_channels == ("#cx-weekly", "C9")
    assert s.slack_api_url == "http://127.0.0.1:9/api/"
    assert s.anonymity_threshold == 7


@pytest.mark.parametrize("raw", ["2", "0", "-1"])
def test_threshold_never_below_three(raw: str) -> None:
    with pytest.raises(ConfigError, match="never be below 3"):
        Settings.from_env({"CXPULSE_ANONYMITY_THRESHOLD": raw})


def test_threshold_must_be_a_number() -> None:
    with pytest.raises(ConfigError, match="whole number"):
        Settings.from_env({"CXPULSE_ANONYMITY_THRESHOLD": "five"})


def test_unknown_timezone_is_refused() -> None:
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        Settings.from_env({"CXPULSE_TIMEZONE": "Mars/Olympus"})


def test_http_mode_lists_everything_missing() -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env({}).require(RunMode.HTTP)
    message = str(info.value)
    for name in ("CXPULSE_SECRET", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        assert name in message


def test_socket_mode_needs_app_token() -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "CXPULSE_SECRET": "BfcjW2itwzqB9gqj12F5xa2NUnpuF62XWcm36xmeZ9k",
    }
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        Settings.from_env(env).require(RunMode.SOCKET)
    Settings.from_env(env | {"SLACK_APP_TOKEN": "xapp-1"}).require(RunMode.SOCKET)


def test_oauth_replaces_the_bot_token() -> None:
    env = {
        "SLACK_CLIENT_ID": "1.2",
        "SLACK_CLIENT_SECRET": "c",
        "SLACK_SIGNING_SECRET": "s",
        "CXPULSE_SECRET": "BfcjW2itwzqB9gqj12F5xa2NUnpuF62XWcm36xmeZ9k",
        # OAuth stores tokens, encrypted with this key (tests/privacy/test_tokens_at_rest.py).
        "CXPULSE_TOKEN_KEY": "WFFZe3XqkiHspMdF2F4buycIceXdaNugD6aUXbbE_KE=",
    }
    s = Settings.from_env(env)
    assert s.oauth_enabled
    s.require(RunMode.HTTP)


def test_settings_are_frozen() -> None:
    s = Settings.from_env({})
    with pytest.raises(AttributeError):
        s.timezone = "Europe/Paris"  # type: ignore[misc]


def test_holidays_are_read_from_the_environment() -> None:
    from datetime import date

    from bot.config import ConfigError, Settings

    settings = Settings.from_env({"CXPULSE_HOLIDAYS": "2026-12-25, 2026-12-26"})
    assert settings.holidays == (date(2026, 12, 25), date(2026, 12, 26))
    assert Settings.from_env({}).holidays == ()
    with pytest.raises(ConfigError, match=r"CXPULSE_HOLIDAYS.*Christmas"):
        Settings.from_env({"CXPULSE_HOLIDAYS": "Christmas"})


def test_slack_timeout_is_read_and_given_to_every_web_api_client() -> None:
    from bot.core.slack import make_client

    settings = Settings.from_env({"SLACK_TIMEOUT_SECONDS": "3"})
    assert settings.slack_timeout_seconds == 3
    assert make_client(settings).timeout == 3
    assert make_client(Settings()).timeout == 10


@pytest.mark.parametrize("raw", ["0", "-1", "soon"])
def test_a_slack_timeout_below_one_second_is_refused(raw: str) -> None:
    with pytest.raises(ConfigError, match="SLACK_TIMEOUT_SECONDS"):
        Settings.from_env({"SLACK_TIMEOUT_SECONDS": raw})
