"""`cxpulse demo`: the real app, over HTTP or Socket Mode, driven through the local Slack emulator.

The same app, handlers, jobs and database code as production; only Slack is
played by the emulator and the people by a simulation with a planted effect.
"""

from __future__ import annotations

import random
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.progress import Progress

from bot.config import Settings
from bot.core.weeks import week_start
from bot.demo import helpdesk
from bot.demo.processes import DemoStack
from bot.demo.report import DB_NAME, blocks_as_text, show_report, write_outputs
from bot.demo.simulation import Population
from bot.demo.week import WeekDriver
from bot.insights.flowon import FlowOnFinding

CLICKERS = 4  # simulated people tapping at once (the app serves them on its own threads)


@dataclass(frozen=True)
class DemoOptions:
    """What `cxpulse demo` was asked to simulate."""

    people: int = 50
    teams: int = 5
    weeks: int = 12
    seed: int = 7
    out: Path | None = None
    database_url: str | None = None
    quiet: bool = False
    socket_mode: bool = False


@dataclass
class DemoResult:
    """What the demo produced, for the terminal and for tests."""

    out: Path
    help_ok: bool
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    finding: FlowOnFinding | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the app answered and every output was written."""
        return self.help_ok and bool(self.files)


@dataclass
class SimulatedWorkspace:
    """Slack ids of the simulated people, teams and channels."""

    user_ids: dict[str, str]  # sim name -> Slack user id
    team_groups: dict[str, str]  # team name -> user group handle
    lead_group: str
    wins_channel: str
    digest_channel: str


def demo_start(weeks: int, today: datetime | None = None) -> datetime:
    """Monday 00:00 UTC, ``weeks`` whole weeks before this week's Monday."""
    now = today or datetime.now(UTC)
    monday = datetime.combine(week_start(now.date()), clock_time(), tzinfo=now.tzinfo)
    return monday - timedelta(weeks=weeks)


def create_workspace(stack: DemoStack, population: Population) -> SimulatedWorkspace:
    """Add the simulated people, teams (user groups), leads and channels to the emulator."""
    emulator = stack.emulator
    user_ids: dict[str, str] = {}
    for person in population.people:
        user = emulator.add_user(
            name=person.name,
            real_name=person.name.title(),
            tz=person.tz,
            email=helpdesk.agent_email(person.name),
        )
        user_ids[person.name] = user["id"]
    groups: dict[str, str] = {}
    for team in population.teams:
        handle = team.lower().replace(" ", "-") + "-team"
        members = [user_ids[p.name] for p in population.people if p.team == team]
        emulator.add_usergroup(handle=handle, name=team, users=members)
        groups[team] = handle
    leads = [user_ids[p.name] for p in population.people if p.is_lead]
    emulator.add_usergroup(handle="cx-leads", name="CX leads", users=leads)
    wins = emulator.add_channel("wins")
    digest = emulator.add_channel("cx-weekly")
    return SimulatedWorkspace(user_ids, groups, "@cx-leads", wins, digest)


def show_help_round_trip(stack: DemoStack, user_id: str, console: Console) -> bool:
    """Send `/cx help` as Slack would (signed HTTP, or a Socket Mode envelope) and show it."""
    reply = stack.actor.slash_command(user_id, "help")
    if reply.status != 200 or reply.json is None:
        console.print(f"[red]The app answered HTTP {reply.status}: {reply.body}[/]")
        return False
    console.print(Panel(blocks_as_text(reply.json.get("blocks", [])), title="/cx help"))
    if stack.socket_mode:
        console.print("Over Socket Mode: no public URL; the app token opens the WebSocket.")
        return True
    unsigned = stack.actor.slash_command(user_id, "help", sign=False)
    console.print(f"An unsigned request got HTTP {unsigned.status} (refused, as it should be).")
    return True


def run_demo(settings: Settings, options: DemoOptions | None = None) -> int:
    """Run the demo and print what it produced; 0 on success."""
    del settings  # the demo builds its own settings around the emulator
    result = simulate(options or DemoOptions())
    return 0 if result.ok else 1


def simulate(options: DemoOptions) -> DemoResult:
    """Build the simulated workspace, step through the weeks, and write the outputs."""
    started = time.monotonic()
    console = Console(quiet=options.quiet)
    out = options.out or Path(tempfile.mkdtemp(prefix="cxpulse-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    db_file = out / DB_NAME
    if options.database_url is None and db_file.exists():
        db_file.unlink()  # a fresh story every run
    database_url = options.database_url or f"sqlite:///{db_file}"
    population = Population.generate(
        people=options.people, teams=options.teams, weeks=options.weeks, seed=options.seed
    )
    start = demo_start(options.weeks)
    rng = random.Random(options.seed)
    with DemoStack.start(
        database_url, now=start - timedelta(days=1), socket_mode=options.socket_mode
    ) as stack:
        workspace = create_workspace(stack, population)
        stack.configure(
            team_groups=tuple(workspace.team_groups.values()),
            leads=(workspace.lead_group,),
            celebrations_channel="#wins",
            digest_channels=("#cx-weekly",),
            outcomes_secret=helpdesk.DEMO_OUTCOMES_SECRET,
        )
        console.print(f"[bold]Slack emulator[/] at {stack.emulator.api_url}")
        if stack.socket_mode:
            connected = stack.emulator.socket_mode.open_connections
            console.print(f"[bold]CX Pulse[/] connected over Socket Mode ({connected} processes)")
        else:
            urls = ", ".join(actor.app_url for actor in stack.actors)
            console.print(f"[bold]CX Pulse[/] serving at {urls} ({len(stack.actors)} processes)")
        first = next(iter(workspace.user_ids.values()))
        help_ok = show_help_round_trip(stack, first, console)
        stack.run_job("sync-users", start - timedelta(days=1))
        result = DemoResult(out=out, help_ok=help_ok)
        result.counts["job:sync-users"] = 1
        with ThreadPoolExecutor(CLICKERS, thread_name_prefix="demo-person") as pool:
            driver = WeekDriver(stack, population, workspace.user_ids, rng, pool)
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("Simulating weeks", total=options.weeks)
                for week in range(options.weeks):
                    driver.run_week(week, start + timedelta(weeks=week))
                    progress.advance(task)
            # The Monday after the last week: its digest reports the last simulated week.
            stack.clock.set(start + timedelta(weeks=options.weeks, hours=9))
            # Customers' own ratings, from the help desk: its export, then its webhook.
            driver.counts.update(
                helpdesk.take_in(
                    stack.sessions, stack.actor.app_url, population, start, stack.clock(), out
                )
            )
            driver.counts["job:digests"] += 1
            stack.run_job("digests", stack.clock())
            driver.upkeep()  # the last week's answer windows close, as in production
            stack.emulator.wait_for("files.completeUploadExternal", timeout=10)
            driver.tally_calls()
        result.counts.update(driver.counts)
        if stack.socket_mode:
            result.counts["socket mode envelopes"] = stack.emulator.socket_mode.envelopes_acked
        result.counts["weeks"] = options.weeks
        report = write_outputs(stack, out, database_url, workspace.digest_channel)
        result.files = report.files
        result.finding = report.finding
        result.seconds = time.monotonic() - started
        show_report(console, report, result, sqlite_file=None if options.database_url else db_file)
    return result
