"""A scheduler instance in its own process, for the leader hand-over test (killed with -9).

Usage: python tests/hardening/leader_child.py DATABASE_URL NAME
Runs a 0.1 s job that records ``NAME`` in ``leader_probe`` while this process leads.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.leaderprobe import start_probe_scheduler


def main(url: str, name: str) -> None:
    """Run until killed."""
    start_probe_scheduler(url, name)
    print("started", flush=True)
    while True:
        time.sleep(60)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
