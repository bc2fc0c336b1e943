"""The simulated company's help desk: customers rate the agents, and the app takes it in.

Customers rate the staff in Zendesk's export shape (1–5 CSAT), with the same planted
effect as the moments: a team's ratings in week t+lag rise with how far its mood in
week t sat above its usual level. The demo imports the export (as an admin would run
`cxpulse import outcomes`) and pushes the last days' ratings, with some NPS answers,
through the signed `POST /outcomes` webhook, as a help-desk trigger would.
"""

from __future__ import annotations

import csv
import json
import random
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from bot.demo.simulation import Population
from bot.outcomes.formats import ImportReport, import_file
from bot.outcomes.web import sign
from models import Workspace

EXPORT_NAME = "helpdesk-zendesk.csv"
WEBHOOK_ROWS = 6
DEMO_OUTCOMES_SECRET = "demo-outcomes-secret"  # noqa: S105 - the emulated install's, not a real one
ZENDESK_COLUMNS = (
    "id",
    "ticket_id",
    "assignee_id",
    "assignee_email",
    "group_id",
    "requester_id",
    "score",
    "comment",
    "reason",
    "created_at",
    "updated_at",
)
PRAISE = ("Quick and friendly, thank you!", "Solved on the first reply.", "Really listened.")
COMPLAINTS = ("Took days to hear back.", "Passed around, nobody owned it.", "Still not fixed.")


def agent_email(name: str) -> str:
    """The simulated person's email, as the directory (and the help desk) know it."""
    return f"{name}@demo.example"


@dataclass(frozen=True)
class Rating:
    """One customer's rating of one agent."""

    ticket: int
    agent: str
    created: datetime
    score: int
    comment: str


def ratings(population: Population, start: datetime, rng: random.Random) -> list[Rating]:
    """About two ratings per person a week; satisfied customers follow the planted effect."""
    out: list[Rating] = []
    ticket = 10_000
    for week in range(population.weeks):
        for person in population.people:
            happy = population.win_probability(person.team, week)
            for _ in range(rng.choice((1, 2, 3))):
                ticket += 1
                satisfied = rng.random() < happy
                score = rng.choice((4, 5)) if satisfied else rng.choice((1, 2, 3))
                comment = rng.choice(PRAISE if satisfied else COMPLAINTS) if ticket % 3 else ""
                when = start + timedelta(weeks=week, days=rng.randrange(5), hours=9 + ticket % 8)
                out.append(Rating(ticket, agent_email(person.name), when, score, comment))
    return out


def write_export(path: Path, rows: list[Rating]) -> None:
    """The help desk's satisfaction export, in Zendesk's columns."""
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(ZENDESK_COLUMNS)
        for r in rows:
            stamp = r.created.strftime("%Y-%m-%dT%H:%M:%SZ")
            cells = [r.ticket + 7, r.ticket, 400, r.agent, 8, 900 + r.ticket % 50, r.score]
            writer.writerow([*cells, r.comment, "", stamp, stamp])


def take_in(
    sessions: Any, app_url: str, population: Population, start: datetime, now: datetime, out: Path
) -> dict[str, int]:
    """Write the help desk's export, import it, and push its newest ratings by webhook."""
    rows = ratings(population, start, random.Random(population.seed + 1))
    rows.sort(key=lambda r: r.created)
    # Over Socket Mode the app serves no HTTP (no public URL): everything comes by export.
    cut = len(rows) - WEBHOOK_ROWS if app_url else len(rows)
    exported, pushed = rows[:cut], rows[cut:]
    write_export(out / EXPORT_NAME, exported)
    report = import_export(sessions, out / EXPORT_NAME, now)
    statuses = post_webhook(app_url, pushed, now) if pushed else []
    return {
        "helpdesk:imported": report.imported,
        "helpdesk:unmatched": report.unmatched,
        "helpdesk:rejected": len(report.rejected),
        "helpdesk:webhook rows": len(statuses),
        "helpdesk:webhook accepted": sum(1 for s in statuses if s == 200),
    }


def import_export(sessions: Any, path: Path, now: datetime) -> ImportReport:
    """`cxpulse import outcomes FILE` against the demo's database."""
    with sessions() as session:
        workspace_id = session.scalars(select(Workspace.id)).one()
        report = import_file(session, workspace_id=workspace_id, path=path, fmt=None, now=now)
        session.commit()
    return report


def post_webhook(app_url: str, rows: list[Rating], now: datetime) -> list[int]:
    """Push ``rows`` through `POST /outcomes` one at a time, signed; the HTTP statuses."""
    parts = urlsplit(app_url)
    url = f"{parts.scheme}://{parts.netloc}/outcomes"
    statuses = []
    for i, r in enumerate(rows):
        nps = i % 2 == 1  # a post-ticket NPS question, which the export does not carry
        row = {
            "when": r.created.isoformat(),
            "agent": r.agent,
            "kind": "nps" if nps else "csat",
            "score": min(10, r.score * 2) if nps else r.score,
            "comment": r.comment,
            "external_id": f"hook-{r.ticket}",
            "source": "zendesk-webhook",
        }
        body = json.dumps(row).encode()
        stamp = str(int(now.timestamp()))  # the app's (simulated) clock judges freshness
        headers = {
            "Content-Type": "application/json",
            "X-CXPulse-Timestamp": stamp,
            "X-CXPulse-Signature": sign(DEMO_OUTCOMES_SECRET, stamp, body),
        }
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
                statuses.append(response.status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)
    return statuses
