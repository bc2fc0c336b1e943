"""PORT, CXPULSE_LOG_FORMAT and secrets read from ``<NAME>_FILE``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SECRET_SETTINGS, ConfigError, Settings


def test_port_defaults_to_3000_and_is_read_from_port() -> None:
    assert Settings.from_env({}).port == 3000
    assert Settings.from_env({"PORT": "8080"}).port == 8080


@pytest.mark.parametrize("raw", ["http", "70000", "-1"])
def test_a_bad_port_is_a_clear_error(raw: str) -> None:
    with pytest.raises(ConfigError, match="PORT"):
        Settings.from_env({"PORT": raw})


def test_log_format_is_text_unless_json_is_asked_for() -> None:
    assert Settings.from_env({}).log_format == "text"
    assert Settings.from_env({"CXPULSE_LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(ConfigError, match="CXPULSE_LOG_FORMAT must be text or json"):
        Settings.from_env({"CXPULSE_LOG_FORMAT": "xml"})


def test_every_secret_can_come_from_a_file(tmp_path: Path) -> None:
    env = {}
    for name in SECRET_SETTINGS:
        path = tmp_path / name.lower()
        # Written by `echo`/kubectl: a trailing newline that is not part of the secret.
        path.write_text(f"value-of-{name}\n", encoding="utf-8")
        env[f"{name}_FILE"] = str(path)
    env["DATABASE_URL_FILE"] = str(tmp_path / "db")
    (tmp_path / "db").write_text("sqlite:////tmp/from-a-file.db\r\n", encoding="utf-8")
    env["CXPULSE_TOKEN_KEY_FILE"] = str(tmp_path / "key")
    (tmp_path / "key").write_text("ZmVybmV0LWtleS0zMi1ieXRlcy1sb25nLWZvci10ZXM=\n")
    s = Settings.from_env(env)
    assert s.slack_bot_token == "value-of-SLACK_BOT_TOKEN"
    assert s.slack_signing_secret == "value-of-SLACK_SIGNING_SECRET"
    assert s.slack_app_token == "value-of-SLACK_APP_TOKEN"
    assert s.slack_client_secret == "value-of-SLACK_CLIENT_SECRET"
    assert s.cxpulse_secret == "value-of-CXPULSE_SECRET"
    assert s.outcomes_secret == "value-of-CXPULSE_OUTCOMES_SECRET"
    assert s.cxpulse_token_key == "ZmVybmV0LWtleS0zMi1ieXRlcy1sb25nLWZvci10ZXM="
    assert s.database_url == "sqlite:////tmp/from-a-file.db"


def test_a_secret_set_both_ways_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("xoxb-from-file\n")
    env = {"SLACK_BOT_TOKEN": "xoxb-from-env", "SLACK_BOT_TOKEN_FILE": str(path)}
    with pytest.raises(ConfigError, match="set SLACK_BOT_TOKEN or SLACK_BOT_TOKEN_FILE, not both"):
        Settings.from_env(env)


def test_an_unreadable_secret_file_names_the_variable_not_the_contents(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(ConfigError) as missing_error:
        Settings.from_env({"CXPULSE_SECRET_FILE": str(missing)})
    assert "CXPULSE_SECRET_FILE" in str(missing_error.value)
    assert "No such file" in str(missing_error.value)

    binary = tmp_path / "binary"
    binary.write_bytes(b"\xff\xfesecret-bytes")
    with pytest.raises(ConfigError) as binary_error:
        Settings.from_env({"SLACK_SIGNING_SECRET_FILE": str(binary)})
    assert "SLACK_SIGNING_SECRET_FILE" in str(binary_error.value)
    assert "secret-bytes" not in str(binary_error.value)

    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(ConfigError, match=r"SLACK_APP_TOKEN_FILE: .* is empty"):
        Settings.from_env({"SLACK_APP_TOKEN_FILE": str(empty)})


def test_a_setting_that_is_not_a_secret_has_no_file_variant(tmp_path: Path) -> None:
    path = tmp_path / "tz"
    path.write_text("Europe/Paris\n")
    assert Settings.from_env({"CXPULSE_TIMEZONE_FILE": str(path)}).timezone == "UTC"
