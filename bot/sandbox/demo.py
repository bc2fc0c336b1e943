"""`cxpulse demo`: the real app, served over HTTP, driven through the local Slack emulator.

The same app, handlers, jobs and database code as production; only Slack is
played by the emulator and the people by a simulation with a planted effect.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.progress import Progress

from bot.config import Settings
from bot.sandbox.simulation import Population
from bot.sandbox.stack import SandboxStack


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


@dataclass
class DemoResult:
    """What the demo produced, for the terminal and for tests."""

    out: Path
    help_ok: bool
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class SimulatedWorkspace:
    """Slack ids of the simulated people, teams and channels."""

    user_ids: dict[str, str]  # sim name -> Slack user id
    team_groups: dict[str, str]  # team name -> user group handle
    lead_group: str
    wins_channel: str
    digest_channel: str


def blocks_as_text(blocks: list[dict[str, Any]]) -> str:
    """A readable terminal rendering of Block Kit (headers, sections, fields, context)."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind in ("header", "section") and block.get("text"):
            lines.append(block["text"]["text"])
        if kind == "section":
            lines.extend(f["text"] for f in block.get("fields", []))
        elif kind == "context":
            lines.extend(e.get("text", "") for e in block.get("elements", []) if "text" in e)
        elif kind == "divider":
            lines.append("─" * 40)
        elif kind == "image":
            lines.append(f"[chart: {block.get('alt_text', 'image')}]")
    return "\n".join(lines)


def demo_start(weeks: int, today: datetime | None = None) -> datetime:
    """Monday 00:00 UTC, ``weeks`` whole weeks before this week's Monday."""
    now = today or datetime.now(UTC)
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return monday - timedelta(weeks=weeks)


def create_workspace(stack: SandboxStack, population: Population) -> SimulatedWorkspace:
    """Add the simulated people, teams (user groups), leads and channels to the emulator."""
    emulator = stack.emulator
    user_ids: dict[str, str] = {}
    for person in population.people:
        user = emulator.add_user(name=person.name, real_name=person.name.title(), tz=person.tz)
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


def show_help_round_trip(stack: SandboxStack, user_id: str, console: Console) -> bool:
    """Send a signed `/cx help` as Slack would and show the answer."""
    reply = stack.actor.slash_command(user_id, "help")
    if reply.status != 200 or reply.json is None:
        console.print(f"[red]The app answered HTTP {reply.status}: {reply.body}[/]")
        return False
    console.print(Panel(blocks_as_text(reply.json.get("blocks", [])), title="/cx help"))
    unsigned = stack.actor.slash_command(user_id, "help", sign=False)
    console.print(f"An unsigned request got HTTP {unsigned.status} (refused, as it should be).")
    return True


def run_demo(settings: Settings, options: DemoOptions | None = None) -> int:
    """Run the demo and print what it produced; 0 on success."""
    result = simulate(options or DemoOptions())
    return 0 if result.help_ok else 1


def simulate(options: DemoOptions) -> DemoResult:
    """Build the simulated workspace, step through the weeks, and write the outputs."""
    console = Console(quiet=options.quiet)
    out = options.out or Path(tempfile.mkdtemp(prefix="cxpulse-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    database_url = options.database_url or f"sqlite:///{out / 'cxpulse-demo.db'}"
    population = Population.generate(
        people=options.people, teams=options.teams, weeks=options.weeks, seed=options.seed
    )
    start = demo_start(options.weeks)
    rng = random.Random(options.seed)
    with SandboxStack.start(database_url, now=start) as stack:
        workspace = create_workspace(stack, population)
        stack.settings = stack.runtime.settings = stack.settings.with_overrides(
            team_groups=tuple(workspace.team_groups.values()),
            leads=(workspace.lead_group,),
            celebrations_channel="#wins",
            digest_channels=("#cx-weekly",),
        )
        console.print(f"[bold]Slack emulator[/] at {stack.emulator.api_url}")
        console.print(f"[bold]CX Pulse[/] serving at {stack.actor.app_url}")
        first = next(iter(workspace.user_ids.values()))
        help_ok = show_help_round_trip(stack, first, console)
        stack.run_job("sync-users", start)
        result = DemoResult(out=out, help_ok=help_ok)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Simulating weeks", total=options.weeks)
            for week in range(options.weeks):
                _simulate_week(stack, population, workspace, week, start, rng, result)
                progress.advance(task)
    console.print(f"\nFiles written to {out}")
    return result


def _simulate_week(
    stack: SandboxStack,
    population: Population,
    workspace: SimulatedWorkspace,
    week: int,
    start: datetime,
    rng: random.Random,
    result: DemoResult,
) -> None:
    """One simulated week: the features add their steps here as they land."""
    monday = start + timedelta(weeks=week)
    stack.clock.set(monday)
    result.counts["weeks"] = result.counts.get("weeks", 0) + 1
