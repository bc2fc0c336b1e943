"""How a feature plugs in: one ``register(parts)`` per feature adds to these, nothing else.

The app is the list of features (``bot.app.FEATURES``). Each feature package's ``register``
adds its Slack listeners to ``parts.app`` (Bolt, as documented), its ``/cx`` words to
``parts.commands``, its App Home sections, its scheduled jobs, its HTTP routes and its
command-line commands. There are no module-name lists, import-time registries or globals.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from slack_bolt import App
from sqlalchemy.orm import Session

from bot.core.jobs import JobRegistry
from bot.core.router import CommandRouter

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from bot.config import Settings
    from bot.runtime import Runtime


@dataclass(frozen=True)
class HomeRequest:
    """Who is looking at their App Home."""

    team_id: str
    user_id: str


# A section builder returns Block Kit blocks for this viewer (or none).
HomeSection = Callable[[Session, "Runtime", HomeRequest], list[dict[str, Any]]]


@dataclass
class HomeSections:
    """The App Home's sections, in the order they show."""

    _sections: list[tuple[int, HomeSection]] = field(default_factory=list)

    def add(self, order: int, section: HomeSection) -> None:
        """Show ``section`` on App Home; lower ``order`` shows first."""
        self._sections.append((order, section))
        self._sections.sort(key=lambda pair: pair[0])

    def __iter__(self) -> Iterator[HomeSection]:
        return iter([section for _, section in self._sections])


# A route answers requests under its path; built once per server from the runtime
# (None: the route is off in this configuration, e.g. no public URL for story pages).
RouteFactory = Callable[["Runtime"], "WSGIApplication | None"]


@dataclass(frozen=True)
class Route:
    """An HTTP path (or a path prefix ending in "/") and the methods it answers."""

    path: str
    methods: tuple[str, ...]
    make: RouteFactory

    def matches(self, path: str, method: str) -> bool:
        """Whether this route answers ``method path``."""
        if method not in self.methods:
            return False
        return path.startswith(self.path) if self.path.endswith("/") else path == self.path


@dataclass
class Routes:
    """The HTTP routes features serve beside Slack's ``/slack/events``."""

    routes: list[Route] = field(default_factory=list)

    def add(self, path: str, make: RouteFactory, *, methods: tuple[str, ...]) -> None:
        """Serve ``path`` with the WSGI app ``make(runtime)`` returns."""
        if any(route.path == path for route in self.routes):
            raise ValueError(f"HTTP route {path} is registered twice")
        self.routes.append(Route(path, methods, make))


class CliRun(Protocol):
    """What a command does once its arguments are parsed: the exit status."""

    def __call__(self, args: argparse.Namespace, settings: Settings) -> int: ...


@dataclass(frozen=True)
class CliCommand:
    """A ``cxpulse NAME`` command: how it reads its arguments and what it runs."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: CliRun
    # Needs no settings at all (e.g. `cxpulse secret`): runs before the environment is read.
    offline: bool = False


@dataclass
class CliCommands:
    """The ``cxpulse`` commands, in the order ``--help`` lists them."""

    commands: dict[str, CliCommand] = field(default_factory=dict)

    def add(
        self,
        name: str,
        run: CliRun,
        *,
        help: str,
        configure: Callable[[argparse.ArgumentParser], None] = lambda parser: None,
        offline: bool = False,
    ) -> None:
        """Add ``cxpulse name``; ``configure`` adds its arguments to its sub-parser."""
        if name in self.commands:
            raise ValueError(f"cxpulse {name} is registered twice")
        self.commands[name] = CliCommand(name, help, configure, run, offline)


@dataclass
class Parts:
    """Everything a feature's ``register(parts)`` may add to."""

    app: App
    commands: CommandRouter = field(default_factory=CommandRouter)
    home: HomeSections = field(default_factory=HomeSections)
    jobs: JobRegistry = field(default_factory=JobRegistry)
    routes: Routes = field(default_factory=Routes)
    cli: CliCommands = field(default_factory=CliCommands)


class Feature(Protocol):
    """A feature package: ``bot/<feature>/__init__.py`` defines ``register``."""

    __name__: str

    def register(self, parts: Parts) -> None: ...
