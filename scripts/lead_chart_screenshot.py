"""Render the lead's App Home chart the way the app does, into docs/lead-home-chart.png.

Usage: python scripts/lead_chart_screenshot.py

Starts the app against the local Slack emulator on a throwaway SQLite database, adds a
team of nine (its lead among them) with 14 weeks of generated pulses and customer
moments (one week where only four people answered, so it is withheld), opens the lead's
App Home over signed HTTP, and saves the PNG the app uploaded. Prints the alt text.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.demo.processes import SANDBOX_SECRET  # noqa: E402
from bot.pulse.anonymity import respondent_key  # noqa: E402
from bot.workspace.store import ensure_team, ensure_workspace  # noqa: E402
from models import Customer, CustomerMoment, Person, PulseAnswer, PulseSend  # noqa: E402
from slack_emulator import SlackEmulator  # noqa: E402
from tests.support.stack import SandboxStack  # noqa: E402

NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)
LAST_CLOSED = date(2026, 4, 6)
WITHHELD = date(2026, 3, 16)
OUT = ROOT / "docs" / "lead-home-chart.png"


def seed(stack: SandboxStack, lead: str) -> None:
    rng = np.random.default_rng(7)
    with stack.runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=stack.emulator.team_id, name="Sandbox")
        team = ensure_team(session, workspace=ws, name="Support")
        people = [
            Person(workspace_id=ws.id, slack_user_id=uid, display_name=uid, team_id=team.id)
            for uid in [lead] + [f"USUPPORT{i:02d}" for i in range(8)]
        ]
        session.add_all(people)
        session.flush()
        level = 0.0
        for k in range(14):
            week = LAST_CLOSED - timedelta(weeks=13 - k)
            level = 0.7 * level + rng.normal(0, 0.15) - (0.5 if k == 12 else 0)
            answering = people[:4] if week == WITHHELD else people[: 7 + k % 3]
            for day in range(5):
                when = week + timedelta(days=day)
                for person in people:
                    session.add(
                        PulseSend(
                            workspace_id=ws.id,
                            person_id=person.id,
                            team_id=team.id,
                            pulse_date=when,
                            week_start=week,
                            status="sent",
                            scheduled_for=datetime.combine(when, time(10), tzinfo=UTC),
                        )
                    )
                for person in answering:
                    score = int(np.clip(np.rint(3.8 + level + rng.normal(0, 0.8)), 1, 5))
                    key = respondent_key(SANDBOX_SECRET, ws.slack_team_id, person.slack_user_id)
                    session.add(
                        PulseAnswer(
                            workspace_id=ws.id,
                            respondent_key=key,
                            team_id=team.id,
                            pulse_date=when,
                            week_start=week,
                            score=score,
                        )
                    )
            for m in range(int(rng.integers(2, 6))):
                customer = Customer(
                    workspace_id=ws.id, name=f"Customer {k}-{m}", name_key=f"c{k}-{m}"
                )
                session.add(customer)
                session.flush()
                session.add(
                    CustomerMoment(
                        workspace_id=ws.id,
                        customer_id=customer.id,
                        team_id=team.id,
                        happened_on=week,
                        week_start=week,
                        touchpoint="support",
                        outcome="win" if rng.random() < 0.55 + level / 2 else "problem",
                        what_happened="helped",
                        backstory="",
                        csat=int(np.clip(np.rint(4 + level + rng.normal(0, 0.7)), 1, 5)),
                        sentiment=0.0,
                        would_tell_story=False,
                    )
                )


def main() -> int:
    emulator = SlackEmulator().start()
    lead = emulator.add_user(name="lena")["id"]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/chart.db"
        with SandboxStack.start(url, now=NOW, emulator=emulator, leads=(lead,)) as stack:
            seed(stack, lead)
            stack.actor.app_home_opened(lead)
            (call,) = stack.emulator.wait_for("views.publish")
            image = next(b for b in call.args["view"]["blocks"] if b["type"] == "image")
            png = stack.emulator.uploaded_files[image["slack_file"]["id"]]
            assert png.content is not None
            OUT.write_bytes(png.content)
            print(f"wrote {OUT.relative_to(ROOT)} ({len(png.content)} bytes)")
            print("alt text:", image["alt_text"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
