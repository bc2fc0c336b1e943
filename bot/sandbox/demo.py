"""`cxpulse demo`: the real app, served over HTTP, driven through the local Slack emulator."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel

from bot.config import Settings
from bot.sandbox.stack import SandboxStack


def _blocks_as_text(blocks: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for block in blocks:
        if block.get("type") in ("header", "section"):
            lines.append(block["text"]["text"])
        elif block.get("type") == "context":
            lines.extend(e.get("text", "") for e in block.get("elements", []))
    return "\n".join(lines)


def run_demo(settings: Settings, *, out_dir: Path | None = None) -> int:
    """Start the emulator and the app, send a signed `/cx help`, and show the answer."""
    console = Console()
    out = out_dir or Path(tempfile.mkdtemp(prefix="cxpulse-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{out / 'demo.db'}"
    with SandboxStack.start(database_url) as stack:
        console.print(f"[bold]Slack emulator[/] at {stack.emulator.api_url}")
        console.print(f"[bold]CX Pulse[/] serving at {stack.actor.app_url}")
        ada = stack.emulator.add_user(name="ada", real_name="Ada Lovelace", tz="Europe/London")
        console.print("\nSending a signed [cyan]/cx help[/] as Ada, the way Slack would…")
        reply = stack.actor.slash_command(ada["id"], "help")
        if reply.status != 200 or reply.json is None:
            console.print(f"[red]The app answered HTTP {reply.status}: {reply.body}[/]")
            return 1
        console.print(
            Panel(_blocks_as_text(reply.json.get("blocks", [])), title="CX Pulse answered")
        )
        unsigned = stack.actor.slash_command(ada["id"], "help", sign=False)
        console.print(f"An unsigned request got HTTP {unsigned.status} (refused, as it should be).")
    console.print(f"\nFiles written to {out}")
    return 0
