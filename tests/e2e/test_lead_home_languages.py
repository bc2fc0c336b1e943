"""A lead reads their whole App Home in their Slack language, over signed HTTP.

Three leads of one team with twelve closed weeks (one withheld), notes, moments, eNPS and
second questions: two read French (or German, …), one English. Each opens App Home; the
French Home holds the exact translated wording and no English message text from the
catalog, in its blocks, the chart's alt text and the uploaded file's title. The chart is
drawn once per language: the second French lead reuses the first one's upload, the English
lead gets an English one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from models import LeadChart
from slack_emulator import SlackEmulator
from tests.support import flowon_data as fd
from tests.support.fixtures import TRANSPORTS
from tests.support.languages import LANGUAGE, english_left, texts
from tests.support.stack import SandboxStack, opened_home

# Monday 20 April 2026: the last closed week is that of 6 April, the last closed month March.
NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)
LAST_CLOSED = date(2026, 4, 6)
WITHHELD = LAST_CLOSED - timedelta(weeks=3)  # the week of 16 March: only 4 answered

# What the lead must read, written out here rather than read from the catalogs.
EXPECTED: dict[str, list[str]] = {
    "fr-FR": [
        "Ton équipe : support",
        "*Semaine du 6 avril*",
        "1 moment client : réussites 1, neutres 0, problèmes 0",
        "*Ce que les gens ont noté (anonyme)*",
        "*support : les 12 dernières semaines closes*",
        "eNPS, mars 2026",
        "*Questions du jour, semaine du 6 avril*",
        "semaines non affichées : 16 mars",
    ],
    "de-DE": [
        "Dein Team: support",
        "*Woche vom 6. April*",
        "*Was notiert wurde (anonym)*",
        "*support: die letzten 12 abgeschlossenen Wochen*",
        "*Zusatzfragen, Woche vom 6. April*",
        "nicht angezeigte Wochen: 16. März",
    ],
    "es-ES": [
        "Tu equipo: support",
        "*Semana del 6 de abril*",
        "*support: las últimas 12 semanas cerradas*",
        "semanas sin mostrar: 16 de marzo",
    ],
    "pt-BR": [
        "Sua equipe: support",
        "*Semana de 6 de abril*",
        "*support: as últimas 12 semanas fechadas*",
        "semanas sem exibir: 16 de março",
    ],
    "ja-JP": [
        "あなたのチーム: support",
        "*4月6日の週*",
        "*support: 確定した直近12週間*",
        "非表示の週: 3月16日",
    ],
}


@pytest.fixture(params=TRANSPORTS)
def team(
    request: pytest.FixtureRequest, db_url: str
) -> Iterator[tuple[SandboxStack, str, str, str]]:
    """Three leads of support: lena and nora (their language given later), otto (English);
    the app reached over signed HTTP, then over Socket Mode."""
    emulator = SlackEmulator().start()
    lena = emulator.add_user(name="lena")["id"]
    nora = emulator.add_user(name="nora")["id"]
    otto = emulator.add_user(name="otto")["id"]
    socket_mode = request.param == "socket_mode"
    with SandboxStack.start(
        db_url,
        now=NOW,
        migrate=False,
        emulator=emulator,
        socket_mode=socket_mode,
        leads=(lena, nora, otto),
    ) as stack:
        assert stack.actor.socket_mode is socket_mode
        yield stack, lena, nora, otto


def _seed(stack: SandboxStack, leads: list[str], locale: str) -> None:
    with stack.runtime.transaction() as session:
        ws = fd.workspace(session)
        support, people = fd.team_with_people(session, ws, "support", 8, user_ids=leads)
        for k in range(14):
            week = LAST_CLOSED - timedelta(weeks=13 - k)
            answered = 4 if week == WITHHELD else 8
            fd.pulse_week(session, ws, support, people, week, [3 + k % 2] * answered)
        for i, person in enumerate(people[:7]):
            fd.note(session, ws, support, person, LAST_CLOSED, f"note {i}")
        fd.moment(session, ws, support, LAST_CLOSED, "win", csat=5)
        fd.extra_answers(
            session, ws, support, people, date(2026, 3, 3), "enps", [10, 9, 9, 10, 8, 3, 9, 10]
        )
        fd.extra_answers(session, ws, support, people, LAST_CLOSED, "workload", [4] * 8)
        for person in people[:2]:
            person.slack_locale = locale


def _image(view: dict[str, Any]) -> dict[str, Any]:
    (image,) = [b for b in view["blocks"] if b["type"] == "image"]
    return image


@pytest.mark.parametrize("locale", sorted(EXPECTED))
def test_a_leads_home_is_entirely_in_their_language(
    team: tuple[SandboxStack, str, str, str], locale: str
) -> None:
    stack, lena, nora, otto = team
    _seed(stack, [lena, nora, otto], locale)
    language = LANGUAGE[locale]

    view = opened_home(stack, lena)
    shown = texts(view)
    joined = "\n".join(shown)
    missing = [wanted for wanted in EXPECTED[locale] if wanted not in joined]
    assert missing == [], f"{missing} not in {joined}"
    image = _image(view)
    uploaded = stack.emulator.uploaded_files[image["slack_file"]["id"]]
    assert uploaded.alt_txt == image["alt_text"]
    assert image["alt_text"] in joined
    readable = [*shown, image["title"]["text"], uploaded.title or ""]
    assert english_left(language, readable) == []
    assert "2026-W" not in joined  # weeks are shown as weeks of a day, not as identifiers

    # The second lead reading this language sees the same upload; the English lead gets an
    # English chart of their own (alt text and drawn labels in a language they read).
    assert _image(opened_home(stack, nora))["slack_file"] == image["slack_file"]
    english = _image(opened_home(stack, otto))
    assert english["slack_file"] != image["slack_file"]
    assert english["alt_text"].startswith("Line chart of support's last 12 closed weeks")
    uploads = [c for c in stack.emulator.calls_to("files.completeUploadExternal") if c.ok]
    assert len(uploads) == 2
    with stack.runtime.sessions() as session:
        rows = session.scalars(select(LeadChart).order_by(LeadChart.language)).all()
        assert sorted(r.language for r in rows) == sorted(["en", language])
        assert {r.last_week for r in rows} == {LAST_CLOSED}
