"""A drop alert reaches a lead whose Slack is in French entirely in French."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from slack_emulator import SlackEmulator
from tests.support import flowon_data as fd
from tests.support.languages import english_left, texts
from tests.support.stack import SandboxStack

NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)  # last closed week: 6 April (2026-W15)
LAST_CLOSED = date(2026, 4, 6)


def test_a_french_lead_reads_the_drop_alert_in_french(db_url: str) -> None:
    with SlackEmulator() as emulator:
        lead = emulator.add_user(name="lea", locale="fr-FR")["id"]
        with SandboxStack.start(
            db_url, now=NOW, migrate=False, emulator=emulator, leads=(lead,)
        ) as stack:
            with stack.runtime.transaction() as session:
                ws = fd.workspace(session)
                team, people = fd.team_with_people(session, ws, "support", 8, user_ids=[lead])
                # Twelve steady weeks around 4, then everyone answers 1 or 2.
                for k in range(12, 0, -1):
                    scores = [4, 4, 5, 4, 3, 4, 4, 5] if k % 2 else [4, 5, 4, 4, 4, 3, 4, 4]
                    fd.pulse_week(
                        session, ws, team, people, LAST_CLOSED - timedelta(weeks=k), scores
                    )
                fd.pulse_week(session, ws, team, people, LAST_CLOSED, [1, 2, 1, 2, 1, 1, 2, 1])
                # What the user sync stores from Slack (users.list with include_locale).
                lead_person = next(p for p in people if p.slack_user_id == lead)
                lead_person.slack_locale = "fr-FR"
            report = stack.run_job("drop-alerts", NOW)
            assert report[emulator.team_id]["alerted"] == 1, report
            (dm,) = [c for c in emulator.calls_to("chat.postMessage") if c.ok]
            assert dm.args["channel"] == lead
            shown = [dm.args["text"], *texts(dm.args["blocks"])]
            joined = "\n".join(shown)
            for french in ("Humeur moyenne *1,4*/5", "Demande à l'équipe", "semaine du 6 avril"):
                assert french in joined, joined
            assert "2026-W" not in joined  # a week is named by its Monday, as on App Home
            assert english_left("fr", shown) == []
