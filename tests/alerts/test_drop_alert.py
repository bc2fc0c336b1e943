"""The drop alert over signed HTTP and the emulator: generated teams, with and without a drop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from models import DropAlert
from slack_emulator import SlackEmulator
from tests.support import flowon_data as fd
from tests.support.stack import SandboxStack

NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)  # last closed week: 6 April (2026-W15)
LAST_CLOSED = date(2026, 4, 6)
WEEKS = 16  # twelve weeks of history before each of the four weeks checked


def _scores(rng: np.random.Generator, size: int, drop_weeks: dict[int, float]) -> list[list[int]]:
    """Weekly answers of one persistent team (AR(1), phi 0.8): one per person and week."""
    person = rng.normal(0, 0.6, size)
    level, weeks = rng.normal(0, 0.25), []
    for week in range(WEEKS):
        level = 0.8 * level + rng.normal(0, 0.25 * 0.6)
        raw = 3.6 + person + level - drop_weeks.get(week, 0.0) + rng.normal(0, 0.8, size)
        weeks.append([int(v) for v in np.clip(np.rint(raw), 1, 5)])
    return weeks


@pytest.fixture
def teams(db_url: str) -> Iterator[tuple[SandboxStack, list[str]]]:
    """30 generated teams of 8, each with its lead among them, 16 closed weeks."""
    emulator = SlackEmulator().start()
    leads = [emulator.add_user(name=f"lead{i}")["id"] for i in range(30)]
    with SandboxStack.start(
        db_url, now=NOW, migrate=False, emulator=emulator, leads=tuple(leads)
    ) as stack:
        yield stack, leads


def _seed(stack: SandboxStack, leads: list[str], drops: dict[int, dict[int, float]]) -> None:
    rng = np.random.default_rng(20)
    first = LAST_CLOSED - timedelta(weeks=WEEKS - 4)
    with stack.runtime.transaction() as session:
        ws = fd.workspace(session)
        for i, lead in enumerate(leads):
            team, people = fd.team_with_people(session, ws, f"team{i:02d}", 8, user_ids=[lead])
            for k, scores in enumerate(_scores(rng, 8, drops.get(i, {}))):
                week = first + timedelta(weeks=k - 3)
                fd.pulse_week(session, ws, team, people, week, scores)


def _dms(stack: SandboxStack, leads: list[str]) -> list[Any]:
    return [
        c
        for c in stack.emulator.calls_to("chat.postMessage")
        if c.ok and c.args["channel"] in leads
    ]


def _run_four_weeks(stack: SandboxStack) -> None:
    for k in range(4):
        stack.run_job("drop-alerts", NOW + timedelta(weeks=k - 3))


def test_without_a_real_change_at_most_five_percent_of_team_weeks_alert(
    teams: tuple[SandboxStack, list[str]],
) -> None:
    stack, leads = teams
    _seed(stack, leads, {})
    _run_four_weeks(stack)
    checked = len(leads) * 4
    assert len(_dms(stack, leads)) <= 0.05 * checked


def test_a_real_drop_is_found_and_its_lead_told_once_without_names(
    teams: tuple[SandboxStack, list[str]],
) -> None:
    stack, leads = teams
    # Ten teams fall by 1.2 points in the last closed week, and again a week earlier for two.
    drops = {i: {WEEKS - 1: 1.2} for i in range(10)} | {
        i: {WEEKS - 2: 1.2, WEEKS - 1: 1.2} for i in (0, 1)
    }
    _seed(stack, leads, drops)
    _run_four_weeks(stack)
    again = stack.run_job("drop-alerts", NOW + timedelta(hours=1))
    assert all(v.get("alerted", 0) == 0 for v in again.values())
    told = {c.args["channel"] for c in _dms(stack, leads)}
    dropped = set(leads[:10])
    assert len(told & dropped) >= 8
    per_lead = [c.args["channel"] for c in _dms(stack, leads)]
    assert all(per_lead.count(lead) == 1 for lead in told)  # at most one in four weeks
    call = next(c for c in _dms(stack, leads) if c.args["channel"] == leads[2])
    text = call.args["text"] + str(call.args["blocks"])
    assert "team02" in text
    assert "Mean mood" in text
    assert "from 8 people" in text
    assert "Ask the team" in text
    assert "customer moments" in text
    assert "<@" not in text
    assert "UTEAM" not in text  # no member's id, nor anyone's name
    with stack.runtime.sessions() as session:
        rows = list(session.scalars(select(DropAlert)))
    assert len(rows) == len(told)


def test_a_team_below_the_threshold_never_alerts(db_url: str) -> None:
    emulator = SlackEmulator().start()
    lead = emulator.add_user(name="lead")["id"]
    with SandboxStack.start(
        db_url, now=NOW, migrate=False, emulator=emulator, leads=(lead,)
    ) as stack:
        with stack.runtime.transaction() as session:
            ws = fd.workspace(session)
            team, people = fd.team_with_people(session, ws, "tiny", 4, user_ids=[lead])
            for k in range(13):
                week = LAST_CLOSED - timedelta(weeks=12 - k)
                fd.pulse_week(session, ws, team, people, week, [1] * 4 if k == 12 else [5] * 4)
        stack.run_job("drop-alerts", NOW)
        assert [c for c in stack.emulator.calls_to("chat.postMessage") if c.ok] == []
