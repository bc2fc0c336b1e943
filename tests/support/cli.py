"""`cxpulse` run as a real process on a database, with no Slack or CXPULSE settings inherited."""

from __future__ import annotations

import os
import subprocess
import sys


def run_cxpulse(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CXPULSE_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env | {"DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
