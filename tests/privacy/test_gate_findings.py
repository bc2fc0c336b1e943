"""Issue 26, findings 1–3, tried the way an ordinary lead or member would, over signed HTTP.

1. A week still open (answers accepted 48 h, far time zones) must not be reported: what a
   lead sees on Monday must not change when Sunday's late answer or note arrives.
2. A lead inside the group needs one respondent more on every surface: the chart and its
   alt text, eNPS, second questions, the digest preview and drop alerts, not only mood.
3. Leads set to ``everyone`` lets anyone celebrate, and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from models import Person, PulseAnswer, PulseNote, Team
from slack_emulator import SlackEmulator
from tests.support import flowon_data as fd
from tests.support.digest import start_digest_stack
from tests.support.stack import SandboxStack, opened_home
from tests.support.waiting import wait_until

# Monday 20 April 2026, 09:00 UTC. The week of 13 April (2026-W16) ended last night in
# London but is still open: a Sunday pulse in Hawaii may be answered until Tuesday.
NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)
OPEN_WEEK = date(2026, 4, 13)
LAST_CLOSED = date(2026, 4, 6)
SUNDAY = OPEN_WEEK + timedelta(days=6)


@pytest.fixture
def lena(db_url: str) -> Iterator[tuple[SandboxStack, str, str]]:
    """A stack with one lead (lena) and a whole-workspace digest channel."""
    with start_digest_stack(db_url, now=NOW, leads=["lena"]) as (stack, [lead], channel):
        yield stack, lead, channel


def _ephemeral(stack: SandboxStack, user: str, command: str) -> dict[str, Any]:
    before = len(stack.emulator.ephemerals)
    assert stack.actor.slash_command(user, command).status == 200
    found = wait_until(lambda: stack.emulator.ephemerals[before:], what=f"/cx {command}")
    message: dict[str, Any] = found[-1]
    return message


def _texts(message: dict[str, Any]) -> list[str]:
    """Every text a person reads in a message or view (block ids are random per render)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("text", "alt_text") and isinstance(value, str):
                    found.append(value)
                elif key != "block_id":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks", []))
    return found


def _late(stack: SandboxStack, person_index: int, *, note: str | None = None) -> None:
    """The 7th support member's answer (and note) for Sunday's pulse, arriving on Monday."""
    with stack.runtime.transaction() as session:
        ws = fd.workspace(session)
        person = session.scalars(
            select(Person).where(Person.slack_user_id == f"USUPPORT{person_index:03d}")
        ).one()
        row = fd.answer_columns(ws, person, SUNDAY, person.team_id, week=OPEN_WEEK)
        session.add(PulseAnswer(score=1, **row))
        if note is not None:
            session.add(PulseNote(text=note, **row))


def _seed_support(stack: SandboxStack, *, size: int, answered: int, lead: str | None) -> None:
    """Support: ``size`` people (the lead among them when given), 14 weeks of answers."""
    with stack.runtime.transaction() as session:
        ws = fd.workspace(session)
        team, people = fd.team_with_people(
            session, ws, "support", size, user_ids=[lead] if lead else None
        )
        for k in range(15):
            week = OPEN_WEEK - timedelta(weeks=14 - k)
            fd.pulse_week(session, ws, team, people, week, [4 - k % 2] * answered)
        for i, person in enumerate(people[:answered]):
            fd.note(session, ws, team, person, OPEN_WEEK, f"note {i} of the open week")
            fd.note(session, ws, team, person, LAST_CLOSED, f"note {i} of the closed week")


def test_finding1_an_open_week_is_never_reported_and_nothing_shown_changes(
    lena: tuple[SandboxStack, str, str],
) -> None:
    stack, lead, channel = lena
    # Seven people in support, six answered by Monday 09:00; lena leads from outside.
    _seed_support(stack, size=7, answered=6, lead=None)
    stack.run_job("digests", NOW)
    (posted,) = [c for c in stack.emulator.calls_to("chat.postMessage") if c.ok]
    assert posted.args["channel"] in (channel, "#cx-digest")
    digest = json.dumps(posted.args["blocks"])
    preview = _ephemeral(stack, lead, "digest")
    home = opened_home(stack, lead)
    notes = _ephemeral(stack, lead, "notes")
    for seen in (digest, json.dumps(preview), json.dumps(home), json.dumps(notes)):
        assert "2026-W16" not in seen, "the open week was reported"
        # Weeks are named by their Monday where people read them (App Home, digest, notes).
        assert "13 April" not in seen, "the open week was reported"
        assert "open week" not in seen
    # ...and the closed week is there, named that way: the check above would see the open one.
    assert "week of 6 April" in digest
    assert "week of 6 April" in json.dumps(preview)
    assert "*Week of 6 April*" in json.dumps(notes)
    # 11:00: the weekend worker's answer and note for Sunday arrive (still accepted).
    stack.clock.set(NOW + timedelta(hours=2))
    _late(stack, 6, note="the weekend worker's note")
    assert _texts(_ephemeral(stack, lead, "digest")) == _texts(preview)
    assert _texts(opened_home(stack, lead)) == _texts(home)
    again = _ephemeral(stack, lead, "notes")
    assert _texts(again) == _texts(notes)
    assert "the weekend worker's note" not in json.dumps(again)


def test_finding2_a_lead_inside_a_team_at_the_threshold_sees_no_figure_of_it(
    lena: tuple[SandboxStack, str, str],
) -> None:
    stack, lead, _ = lena
    # Support: lena and four others, all five answer everything; threshold 5.
    _seed_support(stack, size=5, answered=5, lead=lead)
    with stack.runtime.transaction() as session:
        ws = fd.workspace(session)
        team = session.scalars(select(Team).where(Team.name == "support")).one()
        people = list(session.scalars(select(Person).where(Person.team_id == team.id)))
        fd.extra_answers(session, ws, team, people, date(2026, 2, 3), "enps", [10, 9, 8, 7, 0])
        fd.extra_answers(session, ws, team, people, date(2026, 3, 3), "enps", [10, 9, 9, 10, 8])
        fd.extra_answers(session, ws, team, people, LAST_CLOSED, "workload", [4, 4, 5, 3, 1])
        fd.extra_answers(session, ws, team, people, OPEN_WEEK, "workload", [4, 4, 5, 3, 1])
    home = opened_home(stack, lead)
    preview = _ephemeral(stack, lead, "digest")
    for seen in (json.dumps(home), json.dumps(preview)):
        assert "from 5 people" not in seen, "a figure of five people, the viewer among them"
        assert "Mean mood" not in seen
    assert [b for b in home["blocks"] if b["type"] == "image"] == []
    assert [c for c in stack.emulator.calls_to("files.completeUploadExternal") if c.ok] == []
    assert "eNPS, March 2026: withheld" in json.dumps(home)


def test_finding2_a_drop_alert_needs_one_more_than_the_threshold_besides_its_lead(
    lena: tuple[SandboxStack, str, str],
) -> None:
    stack, lead, _ = lena
    with stack.runtime.transaction() as session:
        ws = fd.workspace(session)
        team, people = fd.team_with_people(session, ws, "tiny", 5, user_ids=[lead])
        for k in range(13):
            week = LAST_CLOSED - timedelta(weeks=12 - k)
            fd.pulse_week(session, ws, team, people, week, [1] * 5 if k == 12 else [5] * 5)
    stack.run_job("drop-alerts", NOW)
    dms = [c for c in stack.emulator.calls_to("chat.postMessage") if c.ok]
    assert dms == [], "the lead was told the mean of the four others"


def test_finding2_a_lead_inside_a_team_just_above_sees_its_figures(
    lena: tuple[SandboxStack, str, str],
) -> None:
    stack, lead, _ = lena
    _seed_support(stack, size=6, answered=6, lead=lead)
    home = json.dumps(opened_home(stack, lead))
    assert "from 6 people" in home  # the rule withholds only what it must


def test_finding3_everyone_as_leads_only_widens_who_may_celebrate(db_url: str) -> None:
    emulator = SlackEmulator().start()
    member = emulator.add_user(name="mo", tz="Europe/London")["id"]
    # Monday 2 March 2026, the month's first pulse: where a lead is asked the leads' question.
    with SandboxStack.start(
        db_url,
        now=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        migrate=False,
        emulator=emulator,
        leads=("everyone",),
    ) as stack:
        stack.run_job("sync-users")
        stack.run_job("pulses", datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
        dm = json.dumps(stack.actor.latest_message(stack.actor.dm_of(member)))
        assert "How would your customers rate you this month?" not in dm
        for command in ("notes", "digest"):
            answer = _ephemeral(stack, member, command)
            assert "lead" in answer["text"].lower()
            assert "blocks" not in answer or "Anonymous notes*" not in json.dumps(answer)
        assert "Your team" not in json.dumps(opened_home(stack, member))
    # What `everyone` does widen, celebrating, is tests/e2e/test_celebrate.py's
    # test_everyone_may_celebrate_when_leads_say_so.
