"""The coalescing background pool: bounded, one pending run per key, the last ask served."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bot.core.background import CoalescingExecutor


def test_repeated_requests_for_a_key_merge_and_the_last_one_runs_after() -> None:
    pool = CoalescingExecutor(workers=1)
    started, release = threading.Event(), threading.Event()
    runs: list[str] = []

    def slow() -> None:
        runs.append("first")
        started.set()
        release.wait(5)

    assert pool.submit("home", slow)
    assert started.wait(5)
    # While the first runs: many more asks become one more run, with the latest function.
    assert pool.submit("home", lambda: runs.append("second"))
    assert not pool.submit("home", lambda: runs.append("stale"))
    assert not pool.submit("home", lambda: runs.append("third"))
    assert pool.submit("other", lambda: runs.append("other"))
    assert not pool.submit("other", lambda: runs.append("other again"))
    release.set()
    assert pool.wait_idle(timeout=5)
    pool.shutdown()
    assert runs[0] == "first"
    assert sorted(runs[1:]) == ["other again", "third"]


def test_a_failing_run_is_logged_and_the_pool_goes_on() -> None:
    pool = CoalescingExecutor(workers=2)
    done = threading.Event()

    def boom() -> None:
        raise RuntimeError("no database")

    pool.submit("a", boom)
    assert pool.wait_idle(timeout=5)
    pool.submit("a", done.set)
    assert done.wait(5)
    assert pool.wait_idle(timeout=5)
    pool.shutdown()


def test_a_key_asked_again_after_its_run_finished_waits_out_the_interval() -> None:
    # A click every few ms, each after the previous publish finished, must not re-run the
    # work each time: the key runs at most once a min_interval, the latest ask served.
    pool = CoalescingExecutor(workers=1, min_interval=0.5)
    starts: list[tuple[str, float]] = []

    def run(name: str) -> Callable[[], None]:
        return lambda: starts.append((name, time.monotonic()))

    assert pool.submit("home", run("first"))
    assert pool.wait_idle(timeout=5)
    asked = time.monotonic()
    assert pool.submit("home", run("second"))
    for n in range(20):
        assert not pool.submit("home", run(f"later {n}"))
    assert pool.submit("other", run("other"))  # another key is not held back
    assert pool.wait_idle(timeout=5)
    pool.shutdown()
    names = [name for name, _ in starts]
    assert names == ["first", "other", "later 19"]
    first_at = starts[0][1]
    assert starts[2][1] - first_at >= 0.5
    assert starts[1][1] - asked < 0.4
