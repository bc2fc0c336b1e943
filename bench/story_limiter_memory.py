"""Memory the story page's rate limiters hold at their key cap, whatever keys arrive.

Usage: python bench/story_limiter_memory.py [--quick]

Fills a limiter (the page's two: 30 per link, 120 per address) with ``max_keys`` distinct
keys of 2 KB each, every key at its limit, and measures what it holds (tracemalloc). The
anchor is the same fill with 10-character keys: the figure should not depend on key size.
Prints one JSON line per figure, in MB.
"""

from __future__ import annotations

import argparse
import json
import sys
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.stories.limits import RateLimiter  # noqa: E402


def held_mb(limit: int, keys: int, key_size: int) -> float:
    """MB held by a limiter after ``keys`` keys of ``key_size`` characters each hit ``limit``."""
    now = [0.0]
    limiter = RateLimiter(limit=limit, window_seconds=600, clock=lambda: now[0], max_keys=keys)
    tracemalloc.start()
    try:
        for k in range(keys + 100):  # past the cap: the oldest keys are forgotten
            key = f"{k:010d}" * (key_size // 10)
            for _ in range(limit + 1):
                now[0] += 1e-4
                limiter.allow(key)
        return tracemalloc.get_traced_memory()[0] / 1e6
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 keys instead of 20,000")
    args = parser.parse_args()
    keys = 1_000 if args.quick else RateLimiter(limit=1, window_seconds=1).max_keys
    for name, limit in (("per_link", 30), ("per_address", 120)):
        value, anchor = held_mb(limit, keys, 2_000), held_mb(limit, keys, 10)
        figure = {
            "name": f"story_limiter_{name}_{keys}_keys",
            "value": round(value, 2),
            "unit": "MB",
            "anchor": "same keys of 10 characters",
            "anchor_value": round(anchor, 2),
            "ratio": round(value / anchor, 2),
            "target": "independent of key size (ratio ~1)",
            "met": value / anchor < 1.2,
        }
        print(json.dumps(figure))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
