"""How long `cxpulse demo` takes at its defaults, and whether it recovers the planted lag.

    python bench/demo_time.py [--quick] [--seed N ...]

Runs the demo in-process (as `make demo` does) once per seed and prints, last, one
JSON line per figure. The anchor is importing and starting the stack with no
simulated weeks (the fixed cost on this machine). ``--quick`` simulates 2 weeks.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.demo.run import DemoOptions, simulate

TARGET_SECONDS = 60.0


def run(weeks: int, seed: int) -> tuple[float, dict[str, object]]:
    """Seconds one demo took, and its finding's best comparison (or {})."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        result = simulate(DemoOptions(weeks=weeks, seed=seed, out=Path(out), quiet=True))
        seconds = time.perf_counter() - started
    best = result.finding.best if result.finding else None
    return seconds, ({} if best is None else best.to_dict())


def main(argv: list[str]) -> int:
    """Time the default demo for each seed; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 weeks instead of 12")
    parser.add_argument("--seed", type=int, action="append", help="seeds (default: 7)")
    args = parser.parse_args(argv)
    weeks = 2 if args.quick else 12
    anchor, _ = run(0, 7)
    lines = []
    for seed in args.seed or [7]:
        seconds, best = run(weeks, seed)
        recovered = best.get("lag_weeks") == 1 and best.get("direction") == "mood_leads"
        print(f"seed {seed}: {seconds:.1f} s, best comparison {best or 'none'}", file=sys.stderr)
        lines.append(
            {
                "name": "demo_seconds",
                "value": round(seconds, 2),
                "unit": "s",
                "anchor": "demo start-up with 0 weeks",
                "anchor_value": round(anchor, 2),
                "ratio": round(seconds / anchor, 2) if anchor else 0.0,
                "target": TARGET_SECONDS,
                "met": seconds < TARGET_SECONDS,
                "seed": seed,
                "weeks": weeks,
                "recovered_lag_1": recovered,
                "best_metric": best.get("metric"),
            }
        )
    for line in lines:
        print(json.dumps(line))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
