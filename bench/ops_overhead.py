"""What the operations features cost: the metrics middleware per Slack request, a /metrics
scrape, and a /readyz answer (SQLite, auth.test cached), each in-process.

    python bench/ops_overhead.py [--rounds N]

Prints the median and p99 of each, then one JSON line per figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.app import all_jobs
from bot.ops.health import OpsEndpoints
from bot.ops.metrics import AckTimer, Metrics, RequestMetrics
from models.db import make_engine, upgrade

KINDS = ("command", "event", "block_actions", "view_submission")


def timed(fn: object, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - started)
    return out


def report(name: str, seconds: list[float], unit: float, label: str) -> dict[str, object]:
    ordered = sorted(seconds)
    median = statistics.median(ordered) / unit
    p99 = ordered[int(len(ordered) * 0.99) - 1] / unit
    print(f"{name:<34} median {median:8.2f} {label}   p99 {p99:8.2f} {label}")
    return {"figure": name, "median": round(median, 3), "p99": round(p99, 3), "unit": label}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20000)
    args = parser.parse_args()
    metrics = Metrics()
    middleware = RequestMetrics(metrics)
    timer = AckTimer(metrics)
    body = "command=%2Fcx&text=help&team_id=T1&user_id=U1"

    def one_request() -> None:
        req = BoltRequest(
            body=body, headers={"content-type": ["application/x-www-form-urlencoded"]}
        )
        with timer.timing(req.body):
            middleware.process(
                req=req, resp=BoltResponse(status=404), next=lambda: BoltResponse(status=200)
            )

    def baseline() -> None:  # the same request without the middleware and the ack timer
        BoltRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]})

    figures = [
        report("request without middleware", timed(baseline, args.rounds), 1e-6, "µs"),
        report("request with metrics middleware", timed(one_request, args.rounds), 1e-6, "µs"),
    ]
    # A scrape of a busy instance: every kind and every job has a series.
    for kind in KINDS:
        metrics.ack_seconds.labels(kind).observe(0.01)
        metrics.slack_requests.labels(kind).inc()
    for job in all_jobs():
        metrics.jobs_run.labels(job).inc()
        metrics.job_last_success.labels(job).set(time.time())
    size = len(metrics.exposition()[0])
    figures.append(
        report(f"/metrics exposition ({size} bytes)", timed(metrics.exposition, 2000), 1e-3, "ms")
    )
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        ops = OpsEndpoints(engine, metrics=metrics, slack=lambda: (True, "ok"))
        figures.append(report("/readyz checks (SQLite)", timed(ops.readiness, 500), 1e-3, "ms"))
        engine.dispose()
    for figure in figures:
        print(json.dumps(figure, ensure_ascii=False))


if __name__ == "__main__":
    main()
