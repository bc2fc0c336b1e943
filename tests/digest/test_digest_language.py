"""A digest channel set to German in `/cx admin` gets its digest, chart and alt text in German.

The admin picks German in the "Add digest channel" modal the app itself pushed; the
`digests` job then posts into that channel. Every text of the message and of the chart
upload must be German: the expected wording is written out here, and no English msgid of
the catalog (one German words differently) may be left in any of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.core import ids
from models import DigestChannelSetting
from slack_emulator import SlackEmulator
from tests.support import flowon_data as fd
from tests.support.admin import admin_user, open_admin
from tests.support.languages import english_left, texts
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view

WEEK = date(2026, 3, 9)
MONDAY_9 = datetime(2026, 3, 23, 9, 5, tzinfo=UTC)


@pytest.fixture
def stack(db_url: str) -> Iterator[SandboxStack]:
    with (
        SlackEmulator() as emulator,
        SandboxStack.start(db_url, now=MONDAY_9, migrate=False, emulator=emulator) as running,
    ):
        yield running


def _seed(stack: SandboxStack) -> None:
    with stack.runtime.transaction() as session:
        ws = fd.workspace(session)
        team, people = fd.team_with_people(session, ws, "support", 7)
        for week, base in ((WEEK - timedelta(weeks=1), 3), (WEEK, 4)):
            fd.pulse_week(session, ws, team, people, week, [base] * 6, days=2)
        fd.moment(session, ws, team, WEEK, "win", customer="Initech", what="rescued the launch")
        fd.moment(session, ws, team, WEEK, "problem", customer="Globex", what="late refund")
        fd.celebration(session, ws, team, WEEK, ["customerfirst"])


def _add_german_digest_channel(stack: SandboxStack, channel: str) -> None:
    admin = admin_user(stack)
    view = open_admin(stack, admin)
    stack.actor.click(admin, view=view, action_id=ids.ADMIN_DIGEST_ADD)
    stack.emulator.wait_for("views.push")
    child = open_view(stack.emulator, ids.ADMIN_DIGEST_VIEW)
    menu = next(b for b in child["blocks"] if b.get("block_id") == ids.DIGEST_LANGUAGE)
    german = next(o for o in menu["element"]["options"] if o["text"]["text"] == "Deutsch")
    answer = stack.actor.submit_view(
        admin,
        child,
        {
            ids.DIGEST_CHANNEL: channel,
            ids.DIGEST_WEEKDAY: "0",
            ids.DIGEST_TIME: "09:00",
            ids.DIGEST_TIMEZONE: "UTC",
            ids.DIGEST_LANGUAGE: german["value"],
        },
    )
    assert answer.status == 200
    assert not answer.json
    with stack.runtime.sessions() as session:
        (row,) = session.scalars(select(DigestChannelSetting))
        assert (row.channel_id, row.language) == (channel, "de")


def test_a_digest_channel_set_to_german_gets_a_german_digest_and_chart(
    stack: SandboxStack,
) -> None:
    channel = stack.emulator.add_channel("cx-digest")
    _seed(stack)
    _add_german_digest_channel(stack, channel)

    report = stack.run_job("digests", MONDAY_9)
    assert report[stack.emulator.team_id] == {channel: "sent"}
    digest, _chart = stack.emulator.messages(channel)
    (png,) = stack.emulator.uploaded_files.values()
    shown = [*texts(digest), png.title or "", png.alt_txt or "", png.initial_comment or ""]
    joined = "\n".join(shown)
    for german in (
        # Weeks are named by their Monday, the German way (as on the lead's App Home).
        "CX Pulse – Wochenüberblick: Alle, Woche vom 9. März",
        "von der Woche vom 2. März bis zur Woche vom 9. März",
        "*So ging es dem Team*",
        "Stimmung im Schnitt *4,0*/5 von 6 Personen (Beteiligung 86\u00a0%), ↑ +1,0 zur Vorwoche",
        "*Kundenmomente*",
        "2 Kundenmomente – Erfolge: 1, neutral: 0, Probleme: 1",
        "*Ein Erfolg*",
        "*Ein Problem, aus dem wir lernen*",
        "1 Würdigung diese Woche; häufigste Werte: #customerfirst (1)",
        "Noch nicht genug Daten für ein Flow-on-Ergebnis",
        "Alle: Stimmung und Erfolgsquote pro Woche",
        "Liniendiagramm für Alle: Stimmung im Schnitt (1–5) und die Erfolgsquote bei Kunden",
    ):
        assert german in joined, f"{german!r} not in {joined[:3000]}"
    assert png.title == "Alle: Stimmung und Erfolgsquote pro Woche, Woche vom 9. März"
    assert "2026-W" not in joined
    assert english_left("de", shown) == []
