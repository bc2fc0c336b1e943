"""Processes the tests start: a free local port to serve on, and the environment they run in."""

from __future__ import annotations

import os
import socket

from slack_emulator import SlackEmulator

SECRET = "KkH9I2rkHH0prj2MVbqEHUPIoyx1EYG6fJ522lOxOuE"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env() -> dict[str, str]:
    """This process's environment without Slack or CXPULSE settings: a child reads only ours."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CXPULSE_"))}


def app_env(
    emulator: SlackEmulator, db_url: str, secret: str = SECRET, **extra: str
) -> dict[str, str]:
    """The environment a started `cxpulse` needs to talk to ``emulator`` and ``db_url``."""
    return clean_env() | {
        "SLACK_BOT_TOKEN": emulator.bot_token,
        "SLACK_API_URL": emulator.api_url,
        "DATABASE_URL": db_url,
        "CXPULSE_SECRET": secret,
        **extra,
    }
