"""`cxpulse` run as a real process on a database, with no Slack or CXPULSE settings inherited."""

from __future__ import annotations

import subprocess
import sys

from tests.support.processes import clean_env


def run_cxpulse(url: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=clean_env() | {"DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def cxpulse_output(url: str, *args: str) -> str:
    """What a `cxpulse` command that must succeed printed on stdout."""
    done = run_cxpulse(url, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout
