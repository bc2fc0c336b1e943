"""Ack latency of `cxpulse serve`, closed and open loop, beside a bare Bolt app.

    python bench/ack_latency.py [--quick] [--requests N] [--clients C] [--rates R,R]
                                [--seconds S] [--rounds N]

Three processes besides this one: the Slack emulator, `python -m bot.cli serve` (the real app,
SQLite, scheduler on) and the anchor: a bare Bolt App with one `/cx` listener and one action
listener that only ack, served the same way (waitress, 16 threads, Bolt's WSGI adapter).
C client threads (keep-alive http.client connections) send signed `/cx help` slash commands,
then signed clicks on App Home's "Try again" button (HOME_REFRESH: the app acks, then
re-publishes the Home). That is the closed loop: each client sends its next request when the
last one is answered, so a slow server slows the load down. Then the open loop, the way Slack's
traffic arrives: requests at a fixed mean rate (100 and 300 per second for 20 s by default),
Poisson arrivals (seeded), each sent at its time whatever the others are doing; its latency
counts from the moment it was due, so a server that falls behind shows it. Prints p50/p99
for both apps and their ratio per run, then the worst p99 ratio of the closed loop and of the
open loop (target: at most 1.5x); last, one JSON line per figure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.ids import HOME_REFRESH  # noqa: E402
from slack_emulator.transport import sign  # noqa: E402

EVENTS_PATH = "/slack/events"
THREADS = 16  # bot.core.web.server.HttpServer's default, used for both servers
P99_TARGET_MS = 100.0
OPEN_LOOP_CONNECTIONS = 64
RATIO_TARGET = 1.5


# -- the helper processes ------------------------------------------------------------------


def serve_emulator() -> None:
    """Child: run the emulator with one user; print what the others need; wait for stdin EOF."""
    from slack_emulator.emulator import SlackEmulator

    emulator = SlackEmulator().start()
    user = emulator.add_user(name="bench")["id"]
    info = {
        "api_url": emulator.api_url,
        "bot_token": emulator.bot_token,
        "signing_secret": emulator.signing_secret,
        "team_id": emulator.team_id,
        "channel_id": emulator.general_channel().id,
        "user_id": user,
        "response_url": emulator.new_response_url(emulator.team_id, user, "C0BENCH"),
    }
    print(json.dumps(info), flush=True)
    sys.stdin.read()


def serve_anchor(port: int, api_url: str, token: str, secret: str) -> None:
    """Child: the bare Bolt app, served by waitress like `cxpulse serve`."""
    from slack_bolt import Ack, App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient
    from waitress.server import create_server

    app = App(signing_secret=secret, client=WebClient(base_url=api_url, token=token))

    @app.command("/cx")
    def command(ack: Ack) -> None:
        ack()

    @app.action(HOME_REFRESH)
    def action(ack: Ack) -> None:
        ack()

    server = create_server(SlackRequestHandler(app), host="127.0.0.1", port=port, threads=THREADS)
    server.run()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[Any], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not start")


# -- the clients ----------------------------------------------------------------------------


def slash_body(info: dict[str, str]) -> str:
    return urlencode(
        {
            "token": "bench",
            "team_id": info["team_id"],
            "team_domain": "sandbox",
            "channel_id": info["channel_id"],
            "channel_name": "general",
            "user_id": info["user_id"],
            "user_name": "bench",
            "command": "/cx",
            "text": "help",
            "api_app_id": "A0SANDBOX",
            "is_enterprise_install": "false",
            "response_url": info["response_url"],
            "trigger_id": "1.2.bench",
        }
    )


def click_body(info: dict[str, str]) -> str:
    payload = {
        "type": "block_actions",
        "token": "bench",
        "api_app_id": "A0SANDBOX",
        "team": {"id": info["team_id"], "domain": "sandbox"},
        "user": {"id": info["user_id"], "username": "bench", "team_id": info["team_id"]},
        "container": {"type": "view", "view_id": "V0BENCH"},
        "view": {"id": "V0BENCH", "type": "home", "blocks": [], "state": {"values": {}}},
        "trigger_id": "1.2.bench",
        "actions": [
            {
                "action_id": HOME_REFRESH,
                "block_id": "home",
                "type": "button",
                "value": "refresh",
                "action_ts": "1.2",
                "text": {"type": "plain_text", "text": "Try again"},
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def post_signed(
    conn: http.client.HTTPConnection, body: str, data: bytes, secret: str
) -> str | None:
    """POST one freshly signed request; None when answered 200, else what went wrong."""
    ts = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sign(secret, ts, body),
    }
    try:
        conn.request("POST", EVENTS_PATH, data, headers)
        response = conn.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as exc:
        return repr(exc)
    return None if response.status == 200 else f"HTTP {response.status}"


class Results:
    """Latencies (ms) and failures gathered from every client thread of one run."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def latencies_or_exit(self, port: int) -> list[float]:
        if self.errors:
            errors = self.errors
            raise SystemExit(f"{len(errors)} failed requests on port {port}, e.g. {errors[:3]}")
        return self.latencies


class Client:
    """One keep-alive connection sending signed requests; reconnects after a failure."""

    def __init__(self, port: int, body: str, secret: str, results: Results) -> None:
        self.port, self.body, self.data, self.secret = port, body, body.encode(), secret
        self.results = results
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.mine: list[float] = []

    def send(self, *, since: float) -> None:
        """POST once; the latency counts from ``since`` (perf_counter seconds)."""
        problem = post_signed(self.conn, self.body, self.data, self.secret)
        if problem is None:
            self.mine.append((time.perf_counter() - since) * 1000)
            return
        with self.results.lock:
            self.results.errors.append(problem)
        if not problem.startswith("HTTP"):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def close(self) -> None:
        self.conn.close()
        with self.results.lock:
            self.results.latencies.extend(self.mine)


def drive(port: int, body: str, secret: str, requests: int, clients: int) -> list[float]:
    """Send ``requests`` signed POSTs from ``clients`` keep-alive threads; latencies in ms."""
    results = Results()
    start = threading.Barrier(clients)

    def client(count: int) -> None:
        conn = Client(port, body, secret, results)
        start.wait()
        for _ in range(count):
            conn.send(since=time.perf_counter())
        conn.close()

    shares = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    threads = [threading.Thread(target=client, args=(n,)) for n in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results.latencies_or_exit(port)


def drive_open(
    port: int, body: str, secret: str, rate: float, seconds: float, seed: int = 7
) -> list[float]:
    """POST at Poisson arrivals of mean ``rate``/s for ``seconds``; ms from each one's due time."""
    rng = random.Random(seed)
    due: list[float] = []
    at = rng.expovariate(rate)
    while at < seconds:
        due.append(at)
        at += rng.expovariate(rate)
    work: queue.SimpleQueue[float | None] = queue.SimpleQueue()
    results = Results()

    def sender() -> None:
        conn = Client(port, body, secret, results)
        while (scheduled := work.get()) is not None:
            conn.send(since=scheduled)
        conn.close()

    # Enough connections that a request never waits for a free one at these rates.
    threads = [threading.Thread(target=sender) for _ in range(OPEN_LOOP_CONNECTIONS)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    for offset in due:
        scheduled = began + offset
        pause = scheduled - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        work.put(scheduled)
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join()
    return results.latencies_or_exit(port)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1]


KINDS: list[tuple[str, str, Callable[[dict[str, str]], str]]] = [
    ("slash_command", "/cx help", slash_body),
    ("button_click", "button click", click_body),
]

# -- the run --------------------------------------------------------------------------------


def start(cmd: list[str], env: dict[str, str] | None = None, **kw: Any) -> subprocess.Popen[Any]:
    return subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, **kw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 requests per figure")
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--rounds", type=int, default=3, help="interleaved runs per app, latencies pooled"
    )
    parser.add_argument("--rates", default="100,300", help="open-loop rates, requests/s")
    parser.add_argument("--seconds", type=float, default=None, help="open-loop run length")
    args = parser.parse_args()
    requests = args.requests or (200 if args.quick else 2000)
    rates = [float(r) for r in args.rates.split(",") if r]
    seconds = args.seconds or (3.0 if args.quick else 20.0)
    me = [sys.executable, str(Path(__file__).resolve())]

    emulator = start([*me, "--child-emulator"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert emulator.stdout is not None
    info = json.loads(emulator.stdout.readline())
    secret = info["signing_secret"]
    tmp = tempfile.TemporaryDirectory(prefix="cxpulse-bench-")
    app_port, anchor_port = free_port(), free_port()
    app_env = {
        "SLACK_BOT_TOKEN": info["bot_token"],
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": info["api_url"],
        "DATABASE_URL": f"sqlite:///{tmp.name}/bench.sqlite3",
        "CXPULSE_SECRET": "bench-" + secrets.token_urlsafe(32),
        "PYTHONPATH": str(ROOT),
    }
    app = start(
        [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(app_port)],
        app_env,
        stderr=subprocess.DEVNULL,
    )
    anchor = start(
        [*me, "--child-anchor", str(anchor_port), info["api_url"], info["bot_token"], secret],
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(app_port, app)
        wait_for_port(anchor_port, anchor)
        closed = measure(info, secret, requests, args.clients, app_port, anchor_port, args.rounds)
        opened = measure_open(info, secret, rates, seconds, app_port, anchor_port, args.rounds)
        figures = closed + opened + [worst_ratio("closed", closed), worst_ratio("open", opened)]
    finally:
        for proc in (app, anchor):
            proc.terminate()
            proc.wait(timeout=10)
        emulator.communicate(b"", timeout=10)
        tmp.cleanup()
    for figure in figures:
        print(json.dumps(figure))


def measure(
    info: dict[str, str],
    secret: str,
    requests: int,
    clients: int,
    app_port: int,
    anchor_port: int,
    rounds: int,
) -> list[dict[str, Any]]:
    print(
        f"ack latency, {clients} concurrent clients, {rounds} rounds of {requests} requests"
        " per app, interleaved"
    )
    figures: list[dict[str, Any]] = []
    for name, label, body_for in KINDS:
        body = body_for(info)
        for port in (anchor_port, app_port):  # warm up: imports, pools, JIT-free caches
            drive(port, body, secret, min(200, requests), clients)
        runs = interleaved(
            rounds,
            app_port,
            anchor_port,
            partial(closed_round, body=body, secret=secret, requests=requests, clients=clients),
        )
        figures += compare(f"ack_{name}", label, *runs)
    return figures


def closed_round(
    port: int, r: int, *, body: str, secret: str, requests: int, clients: int
) -> list[float]:
    return drive(port, body, secret, requests, clients)


def open_round(
    port: int, r: int, *, body: str, secret: str, rate: float, seconds: float
) -> list[float]:
    return drive_open(port, body, secret, rate, seconds, seed=7 + r)  # new arrivals each round


def interleaved(
    rounds: int, app_port: int, anchor_port: int, run: Callable[[int, int], list[float]]
) -> tuple[list[float], list[float]]:
    """Latencies of ``rounds`` runs per app, pooled, the order alternating round by round.

    One run per app, one after the other, let a burst of other work on the machine land on
    one app only; alternating and pooling gives both the same share of whatever happens.
    """
    app: list[float] = []
    anchor: list[float] = []
    for r in range(rounds):
        order = ((anchor_port, anchor), (app_port, app))
        for port, pooled in order if r % 2 == 0 else reversed(order):
            pooled.extend(run(port, r))
        print(
            f"    round {r + 1}: p99 so far {percentile(app, 99):.1f} ms"
            f" vs {percentile(anchor, 99):.1f} ms bare Bolt"
        )
    return app, anchor


def measure_open(
    info: dict[str, str],
    secret: str,
    rates: list[float],
    seconds: float,
    app_port: int,
    anchor_port: int,
    rounds: int,
) -> list[dict[str, Any]]:
    print(
        f"ack latency, open loop: Poisson arrivals for {seconds:g} s per app"
        f" in {rounds} interleaved rounds"
    )
    figures: list[dict[str, Any]] = []
    for name, label, body_for in KINDS:
        body = body_for(info)
        for rate in rates:
            runs = interleaved(
                rounds,
                app_port,
                anchor_port,
                partial(open_round, body=body, secret=secret, rate=rate, seconds=seconds / rounds),
            )
            tag = f"{label} {rate:g}/s"
            figures += compare(f"ack_{name}_open{rate:g}", tag, *runs)
    return figures


def worst_ratio(loop: str, figures: list[dict[str, Any]]) -> dict[str, Any]:
    """The largest p99 ratio (CX Pulse ÷ bare Bolt) of one loop's runs, printed and a figure."""
    p99s = [f for f in figures if f["name"].endswith("_p99")]
    worst = max(p99s, key=lambda f: f["ratio"])
    ratio = worst["ratio"]
    print(
        f"{loop}-loop p99 ratio (worst of {len(p99s)}): {ratio:.2f}"
        f" ({worst['name']}: {worst['value']} ms vs {worst['anchor_value']} ms bare Bolt)"
        f"  target <= {RATIO_TARGET}"
    )
    return {
        "name": f"ack_p99_ratio_{loop}_loop",
        "value": ratio,
        "unit": "x bare Bolt",
        "worst_of": [f["name"] for f in p99s],
        "target": f"<= {RATIO_TARGET}",
        "met": ratio <= RATIO_TARGET,
    }


def compare(name: str, label: str, app: list[float], anchor: list[float]) -> list[dict[str, Any]]:
    """p50 and p99 of ``app`` beside ``anchor``'s, printed and as figures."""
    figures: list[dict[str, Any]] = []
    for q in (50, 99):
        value, anchor_value = percentile(app, q), percentile(anchor, q)
        ratio = value / anchor_value
        if q == 99:
            met = value < P99_TARGET_MS and ratio <= RATIO_TARGET
            target = f"< {P99_TARGET_MS:g} ms and <= {RATIO_TARGET}x anchor"
        else:
            met, target = ratio <= RATIO_TARGET, f"<= {RATIO_TARGET}x anchor"
        print(
            f"  {label:22} p{q}: cxpulse {value:7.1f} ms   bare Bolt {anchor_value:7.1f} ms"
            f"   ratio {ratio:4.2f}"
        )
        figures.append(
            {
                "name": f"{name}_p{q}",
                "value": round(value, 1),
                "unit": "ms",
                "anchor": "bare Bolt app, same server and clients",
                "anchor_value": round(anchor_value, 1),
                "ratio": round(ratio, 2),
                "target": target,
                "met": met,
            }
        )
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-emulator":
        serve_emulator()
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-anchor":
        serve_anchor(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        main()
