"""The coalescing background pool: bounded, one pending run per key, the last ask served."""

from __future__ import annotations

import threading

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
