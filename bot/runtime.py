"""What every listener and job needs: settings, database sessions, Slack clients, a clock."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.core.background import CoalescingExecutor
from bot.core.display import DisplayCache
from bot.core.slack import make_client
from bot.ops.metrics import Metrics

if TYPE_CHECKING:
    from bot.workspace.oauth import CxPulseInstallationStore


SEND_WORKERS = 8  # pulse DMs posted at once; Slack allows ~1/s per channel, these are DMs


def real_clock() -> datetime:
    """The real current instant, timezone-aware."""
    return datetime.now(UTC)


@dataclass
class ClientProvider:
    """Hands out the WebClient for a workspace.

    With one bot token every workspace id maps to the same client; with OAuth
    the installation store is consulted (see ``bot.workspace.oauth``).
    """

    settings: Settings
    token_for_team: Callable[[str], str | None] | None = None
    _cache: dict[str, WebClient] = field(default_factory=dict)

    def for_team(self, team_id: str) -> WebClient:
        """The client that acts as the bot in ``team_id``."""
        if self.token_for_team is None:
            return self.default()
        token = self.token_for_team(team_id)
        if token is None:
            raise LookupError(f"no installation for workspace {team_id}")
        client = self._cache.get(team_id)
        if client is None or client.token != token:
            client = make_client(self.settings, token)
            self._cache[team_id] = client
        return client

    def default(self) -> WebClient:
        """The single-workspace client built from ``SLACK_BOT_TOKEN``."""
        client = self._cache.get("")
        if client is None:
            client = make_client(self.settings)
            self._cache[""] = client
        return client


@dataclass
class Runtime:
    """The app's dependencies, built once at start-up and shared by listeners and jobs."""

    settings: Settings
    sessions: sessionmaker[Session]
    clients: ClientProvider
    clock: Callable[[], datetime] = real_clock
    # Set in OAuth (multi-workspace) mode: where each workspace's bot token lives.
    installations: CxPulseInstallationStore | None = None
    # Heavy work after an ack (App Home re-publishes), off the request threads.
    background: CoalescingExecutor = field(default_factory=CoalescingExecutor)
    # Threads posting pulse DMs, kept between runs: starting them anew every run cost
    # more than a small run's sends. Created on first use.
    senders: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(SEND_WORKERS, thread_name_prefix="pulse-send")
    )
    # This app's Prometheus metrics, in a registry of its own (GET /metrics).
    metrics: Metrics = field(default_factory=Metrics)
    # What replies only show (threshold, language), kept 30 s: bot/core/display.py.
    display: DisplayCache = field(default_factory=DisplayCache)

    def shutdown(self) -> None:
        """Stop the background and sender threads (queued background work is dropped)."""
        self.background.shutdown()
        self.senders.shutdown(wait=False, cancel_futures=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        with self.sessions.begin() as session:
            yield session

    def now(self) -> datetime:
        """The current instant as the app sees it (tests may move it)."""
        return self.clock()


class SettableClock:
    """A clock that stands still until moved: the demo and tests replay weeks in seconds."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("SettableClock needs an aware datetime")
        self._now = start

    def __call__(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        """Jump to ``instant`` (aware)."""
        if instant.tzinfo is None:
            raise ValueError("SettableClock needs an aware datetime")
        self._now = instant

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` and return the new instant."""
        self._now += delta
        return self._now


def settle_heap() -> None:
    """Move start-up objects out of the garbage collector's sight (``gc.freeze``).

    SQLAlchemy, Bolt, numpy and matplotlib leave ~10^6 long-lived objects; without this
    every full collection walks them all while requests wait (the ack p99 tail).
    """
    gc.collect()
    gc.freeze()
