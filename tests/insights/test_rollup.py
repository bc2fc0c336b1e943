"""The team-week rollup gives exactly what the raw rows give, and stays right after deletes."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.app import all_jobs
from bot.insights.rollup import (
    CLOSED_AFTER,
    invalidate_weeks,
    is_closed,
    live_ranges,
    refresh_rollup,
    rolled_weeks,
)
from bot.insights.teamweeks import TeamWeek, team_weeks
from bot.pulse.answers import record_answer
from bot.settings.store import forget_person
from bot.workspace.retention import purge_before
from models import Person, PulseAnswer, PulseRollup, PulseSend, Workspace
from tests.support import flowon_data as fd

FIRST = date(2026, 1, 5)  # a Monday
WEEKS = 8
NOW = datetime.combine(FIRST + timedelta(weeks=WEEKS), datetime.min.time(), tzinfo=UTC)


def _seed(session: Session, seed: int = 7) -> tuple[Workspace, list[Person]]:
    """Three teams over eight weeks: varying answers, some unsent and failed sends, moves."""
    rng = random.Random(seed)
    ws = fd.workspace(session)
    everyone: list[Person] = []
    teams = []
    for name, size in (("support", 9), ("success", 6), ("sales", 4)):
        team, people = fd.team_with_people(session, ws, name, size)
        teams.append(team)
        everyone += people
    for w in range(WEEKS):
        week = FIRST + timedelta(weeks=w)
        for team in teams:
            members = [p for p in everyone if p.team_id == team.id]
            scores = [rng.randint(1, 5) for _ in range(rng.randint(2, len(members)))]
            fd.pulse_week(session, ws, team, members, week, scores, days=rng.randint(1, 3))
        fd.moment(session, ws, teams[w % 3], week, rng.choice(["win", "problem"]), csat=3)
        fd.celebration(session, ws, teams[(w + 1) % 3], week, ["care"])
    # An answer without a team, a failed send, and someone who moved team mid-history.
    session.add(
        PulseAnswer(
            workspace_id=ws.id,
            respondent_key="no-team-key",
            team_id=None,
            pulse_date=FIRST + timedelta(days=2),
            week_start=FIRST,
            score=4,
        )
    )
    failed = session.scalars(select(PulseSend).limit(3)).all()
    for send in failed:
        send.status = "failed"
    session.flush()
    return ws, everyone


def _all_views(session: Session, ws: Workspace) -> dict[str, list[TeamWeek]]:
    team_id = session.scalar(select(Person.team_id).limit(1))
    kw: dict[str, Any] = {"workspace_id": ws.id, "threshold": 3}
    return {
        "by team": team_weeks(session, **kw),
        "everyone": team_weeks(session, **kw, by_team=False),
        "one team": team_weeks(session, **kw, team_id=team_id),
        "range": team_weeks(
            session, **kw, since=FIRST + timedelta(weeks=2), until=FIRST + timedelta(weeks=5)
        ),
        "everyone range": team_weeks(
            session, **kw, since=FIRST + timedelta(weeks=3), by_team=False
        ),
    }


def _live(session: Session, ws: Workspace) -> dict[str, list[TeamWeek]]:
    """The views computed from raw rows only (every rollup dropped), then rolled up again."""
    invalidate_weeks(session, workspace_id=ws.id, weeks=rolled_weeks(session, workspace_id=ws.id))
    assert rolled_weeks(session, workspace_id=ws.id) == []
    views = _all_views(session, ws)
    refresh_rollup(session, workspace_id=ws.id, now=NOW)
    return views


def test_rollup_gives_the_same_team_weeks_as_the_raw_rows(session: Session) -> None:
    ws, _ = _seed(session)
    live = _all_views(session, ws)
    filled = refresh_rollup(session, workspace_id=ws.id, now=NOW)
    # Closed weeks only: the last week (and the one before) can still get answers.
    assert filled == [
        w for w in (FIRST + timedelta(weeks=i) for i in range(WEEKS)) if is_closed(w, NOW)
    ]
    assert 0 < len(filled) < WEEKS
    assert session.scalar(select(func.count()).select_from(PulseRollup)) > 0
    assert _all_views(session, ws) == live
    assert sum(len(v) for v in live.values()) > 30
    # A second refresh finds nothing to do; a hole in the middle is read live.
    assert refresh_rollup(session, workspace_id=ws.id, now=NOW) == []
    invalidate_weeks(session, workspace_id=ws.id, weeks=[FIRST + timedelta(weeks=3)])
    assert _all_views(session, ws) == live


def test_threshold_is_applied_when_the_rollup_is_read(session: Session) -> None:
    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "tiny", 6)
    fd.pulse_week(session, ws, team, people, FIRST, [4, 4, 5, 3])
    refresh_rollup(session, workspace_id=ws.id, now=NOW)
    assert rolled_weeks(session, workspace_id=ws.id)[0] == FIRST  # and the empty weeks after
    (row,) = team_weeks(session, workspace_id=ws.id, threshold=5)
    assert (row.respondents, row.mean_mood, row.participation) == (None, None, None)
    (row,) = team_weeks(session, workspace_id=ws.id, threshold=4)
    assert (row.respondents, row.mean_mood, row.participation) == (4, 4.0, 4 / 6)


def test_forget_me_and_purge_keep_the_rollup_equal_to_the_raw_rows(session: Session) -> None:
    ws, people = _seed(session, seed=11)
    refresh_rollup(session, workspace_id=ws.id, now=NOW)
    before = _all_views(session, ws)
    report = forget_person(
        session,
        secret=fd.SECRET,
        team_id=ws.slack_team_id,
        person=people[0],
        today=NOW.date(),
        now=NOW,
    )
    assert report.answers > 0
    after_forget = _all_views(session, ws)
    assert after_forget != before
    assert after_forget == _live(session, ws)
    assert rolled_weeks(session, workspace_id=ws.id)  # refilled by _live

    cutoff = FIRST + timedelta(weeks=2, days=1)
    purge_before(session, workspace=ws, cutoff=cutoff)
    assert FIRST not in rolled_weeks(session, workspace_id=ws.id)
    assert _all_views(session, ws) == _live(session, ws)
    refresh_rollup(session, workspace_id=ws.id, now=NOW)
    # The partly purged week is rolled up again; the fully purged one has nothing left
    # (its send records go with its answers), so there is nothing to roll.
    assert FIRST + timedelta(weeks=2) in rolled_weeks(session, workspace_id=ws.id)
    assert _all_views(session, ws) == _live(session, ws)


def test_a_late_answer_to_a_closed_week_is_refused_and_the_rollup_stands(
    session: Session,
) -> None:
    """A figure of a closed week may have been shown: it must never change (the gate's rule)."""
    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "support", 6)
    fd.pulse_week(session, ws, team, people, FIRST, [3, 3, 3, 3, 3])
    refresh_rollup(session, workspace_id=ws.id, now=NOW)
    send = session.scalars(select(PulseSend).where(PulseSend.person_id == people[5].id)).one()
    send.sent_at = NOW - timedelta(hours=1)  # a send retried very late: its day has closed
    result = record_answer(
        session,
        secret=fd.SECRET,
        team_id=ws.slack_team_id,
        user_id=people[5].slack_user_id,
        send=send,
        score=5,
        now=NOW,
    )
    assert not result.recorded
    assert FIRST in rolled_weeks(session, workspace_id=ws.id)
    (row,) = team_weeks(session, workspace_id=ws.id, threshold=5)
    assert (row.respondents, row.mean_mood) == (5, 3.0)


def test_rollup_job_fills_every_workspace(session: Session) -> None:
    ws, _ = _seed(session)
    session.commit()
    job = all_jobs()["rollup"]

    class _Runtime:
        def transaction(self) -> Any:
            from contextlib import contextmanager

            @contextmanager
            def tx() -> Any:
                yield session
                session.commit()

            return tx()

    report = job.run(_Runtime(), NOW)  # type: ignore[arg-type]
    assert len(report[ws.slack_team_id]["weeks_rolled_up"]) == len(
        rolled_weeks(session, workspace_id=ws.id)
    )


def test_closed_weeks_and_live_ranges() -> None:
    week = date(2026, 3, 9)
    assert not is_closed(
        week, datetime.combine(week + CLOSED_AFTER, datetime.min.time(), UTC) - timedelta(seconds=1)
    )
    assert is_closed(week, datetime.combine(week + CLOSED_AFTER, datetime.min.time(), UTC))
    w = [week + timedelta(weeks=i) for i in range(4)]
    day = timedelta(days=1)
    assert live_ranges([], None, None) == [(None, None)]
    assert live_ranges([w[1], w[2]], w[0], w[3]) == [(w[0], w[1] - day), (w[3], w[3])]
    assert live_ranges([w[0], w[2]], None, None) == [
        (None, w[0] - day),
        (w[1], w[2] - day),
        (w[3], None),
    ]
    assert live_ranges([w[0], w[1]], w[0], w[1]) == []
