"""CXPULSE_SECRET and CXPULSE_TOKEN_KEY carry 256 bits or the app does not start (finding 7)."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.cli import main
from bot.config import ConfigError, RunMode, Settings
from bot.core.keystrength import secret_problem, token_key_problem

STRONG = "nq3Vd0wS1mPZ-7yKxR4bL9tE2hUcA8oJfG6iW5sQ_Ye"
FERNET = "mG8-2cWq4tN7bVx1RzKp9Ls3Hd6YfJ0aEu5oTiBnQwM="
BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": "xapp-1"}
WEAK = [
    "k",
    "sandbox-pseudonym-key",
    "correct horse battery staple",
    "password" * 8,
    "a" * 64,
    "0123456789abcdef" * 4,  # 64 hex digits, but the same 16 again and again
    "thequickbrownfoxjumpsoverthelazydogandthecat",  # 44 letters of one case
    "Summer2026!" * 6,
    secrets.token_hex(16),  # 128 bits
    secrets.token_urlsafe(16),
]


@pytest.mark.parametrize("weak", WEAK)
@pytest.mark.parametrize("mode", [RunMode.HTTP, RunMode.SOCKET, RunMode.JOB])
def test_a_weak_secret_stops_every_real_mode(weak: str, mode: RunMode) -> None:
    settings = Settings.from_env(BASE | {"CXPULSE_SECRET": weak})
    with pytest.raises(ConfigError) as info:
        settings.require(mode)
    assert "CXPULSE_SECRET is too weak" in str(info.value)
    assert "cxpulse secret" in str(info.value)


def test_the_demo_and_offline_commands_take_any_secret() -> None:
    settings = Settings.from_env(BASE | {"CXPULSE_SECRET": "k"})
    settings.require(RunMode.DEMO)
    settings.require(RunMode.OFFLINE)


def test_generated_secrets_always_pass() -> None:
    made = [secrets.token_urlsafe(32) for _ in range(2000)]
    made += [secrets.token_hex(32) for _ in range(2000)]
    made += [base64.b64encode(os.urandom(32)).decode() for _ in range(2000)]  # openssl -base64
    made += [base64.b64encode(os.urandom(48)).decode() for _ in range(200)]
    made += [Fernet.generate_key().decode() for _ in range(200)]
    assert [s for s in made if secret_problem(s)] == []
    Settings.from_env(BASE | {"CXPULSE_SECRET": STRONG}).require(RunMode.HTTP)


def test_a_typed_token_key_is_refused_and_generated_ones_pass() -> None:
    typed = base64.urlsafe_b64encode(b"sandbox-token-key-not-for-prod!!").decode()
    zeros = base64.urlsafe_b64encode(bytes(32)).decode()
    env = BASE | {"CXPULSE_SECRET": STRONG}
    for weak in (typed, zeros):
        settings = Settings.from_env(env | {"CXPULSE_TOKEN_KEY": f"{FERNET},{weak}"})
        with pytest.raises(ConfigError, match="CXPULSE_TOKEN_KEY key #2 is too weak"):
            settings.require(RunMode.HTTP)
    assert [k for _ in range(2000) if token_key_problem(k := Fernet.generate_key().decode())] == []
    Settings.from_env(env | {"CXPULSE_TOKEN_KEY": FERNET}).require(RunMode.HTTP)


def test_cxpulse_secret_prints_a_new_strong_secret(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["secret"]) == 0
    first = capsys.readouterr().out.strip()
    assert main(["secret"]) == 0
    second = capsys.readouterr().out.strip()
    assert len(first) == 43
    assert first != second
    assert secret_problem(first) is None


def test_serve_with_a_weak_secret_exits_2_naming_it(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CXPULSE_"))}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--port", "0"],
        env=base
        | BASE
        | {"CXPULSE_SECRET": "my-company-secret", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "CXPULSE_SECRET is too weak" in done.stderr
    assert "Traceback" not in done.stderr
