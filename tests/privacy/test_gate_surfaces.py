"""Every surface the disclosure gate knows, walked with teams below, at and above the threshold.

For each registered surface (bot/core/disclosure.py ``SURFACES``), each team and the whole
workspace, a viewer outside and inside the group, while the newest week is open and
after it closed: no figure describes fewer people than the gate's limit; no whole-workspace
figure minus the team figures shown beside it leaves a group below the limit; and no
figure of a period changes after it was first shown, though late answers, notes and
second answers arrive for the open week in between.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.core.disclosure import (
    SURFACES,
    Audience,
    Figure,
    SurfaceAsk,
    effective_threshold,
    registered_surfaces,
)
from bot.insights.teamweeks import WHOLE_WORKSPACE
from models import Person, PulseAnswer, PulseExtraAnswer, PulseNote, Team, Workspace
from tests.support import flowon_data as fd

THRESHOLD = 5
SIZES = {"below": 4, "at": 5, "above": 6}
# Monday 20 April 2026 09:00 UTC: the week of 13 April is open until Thursday 23 April.
MONDAY = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)
OPEN_WEEK = date(2026, 4, 13)
SUNDAY = OPEN_WEEK + timedelta(days=6)
WEEKS = 14


def _seed(session: Session) -> tuple[Workspace, dict[str, Team], dict[str, list[Person]]]:
    ws = fd.workspace(session)
    teams, people = {}, {}
    for name, size in SIZES.items():
        # One person more than answer: the late answer comes from them.
        team, members = fd.team_with_people(session, ws, name, size + 1)
        teams[name], people[name] = team, members
        for k in range(WEEKS + 1):
            week = OPEN_WEEK - timedelta(weeks=WEEKS - k)
            drop = 3 if k == WEEKS - 1 else 0  # a sharp drop in the last closed week
            fd.pulse_week(session, ws, team, members, week, [5 - drop - k % 2] * size)
            for i, person in enumerate(members[:size]):
                fd.note(session, ws, team, person, week + timedelta(days=1), f"{name} {k} {i}")
            fd.extra_answers(session, ws, team, members, week, "workload", [3 + k % 3] * size)
        fd.extra_answers(session, ws, team, members, date(2026, 3, 4), "enps", [9] * size)
        fd.extra_answers(session, ws, team, members, date(2026, 4, 14), "enps", [7] * size)
    for i in range(6):
        fd.lead_guess(session, ws, f"ULEAD{i}", date(2026, 3, 10), 4)
    session.commit()
    return ws, teams, people


def _late_answers(session: Session, ws: Workspace, people: dict[str, list[Person]]) -> None:
    """Each team's extra person answers Sunday's pulse on Monday: still accepted."""
    for name, members in people.items():
        person = members[-1]
        row = fd.answer_columns(ws, person, SUNDAY, person.team_id, week=OPEN_WEEK)
        session.add(PulseAnswer(score=1, **row))
        session.add(PulseNote(text=f"late {name}", **row))
        session.add(PulseExtraAnswer(question_key="workload", value=1, **row))
    session.commit()


def _asks(ws: Workspace, teams: dict[str, Team], now: datetime) -> Iterator[SurfaceAsk]:
    for team_id in [*(t.id for t in teams.values()), None]:
        for inside in (False, True):
            yield SurfaceAsk(ws.id, team_id, Audience(THRESHOLD, viewer_in_group=inside), now)


Seen = dict[tuple[str, bool, str, str, str], Figure]


def _walk(session: Session, ws: Workspace, teams: dict[str, Team], now: datetime) -> Seen:
    """Every figure every surface shows at ``now``, checked against the limit as it goes."""
    shown: Seen = {}
    for name, source in sorted(registered_surfaces().items()):
        for ask in _asks(ws, teams, now):
            figures = source(session, ask)
            for f in figures:
                assert f.people >= ask.audience.limit, (name, ask, f)
                assert f.people >= effective_threshold(THRESHOLD)
                key = (name, ask.audience.viewer_in_group, f.period, f.group, f.what)
                assert shown.get(key, f) == f, f"{name} shows two values for {key}"
                shown[key] = f
    _no_complement_below_limit(shown)
    return shown


def _no_complement_below_limit(shown: Seen) -> None:
    """Everyone minus the teams shown beside it (same surface, viewer, period) is 0 or ≥ limit."""
    for (name, inside, period, group, what), whole in shown.items():
        if group != WHOLE_WORKSPACE:
            continue
        parts = [
            f.people
            for (n, i, p, g, w), f in shown.items()
            if (n, i, p, w) == (name, inside, period, what) and g in SIZES
        ]
        rest = whole.people - sum(parts)
        limit = effective_threshold(THRESHOLD) + (1 if inside else 0)
        assert rest == 0 or rest >= limit, (name, period, what, rest)


def _unchanged(before: Seen, after: Seen) -> None:
    for key, figure in before.items():
        if key in after:
            assert after[key] == figure, f"{key} changed after it was shown"


def test_every_surface_holds_the_limit_and_never_changes_a_shown_figure(
    session: Session,
) -> None:
    ws, teams, people = _seed(session)
    assert set(registered_surfaces()) == set(SURFACES)

    monday = _walk(session, ws, teams, MONDAY)
    assert monday, "the walk must see figures, or it proves nothing"
    assert not any(f.period in ("2026-W16", OPEN_WEEK.isoformat()) for f in monday.values())
    surfaces_seen = {key[0] for key in monday}
    assert surfaces_seen >= {"lead_home", "lead_chart", "digest", "notes", "export_team_weeks"}
    assert {"below"}.isdisjoint({key[3] for key in monday})  # four people: never shown
    # A team of five shows to a viewer outside it, never to one inside.
    assert any(k[3] == "at" and not k[1] for k in monday)
    assert not any(k[3] == "at" and k[1] for k in monday)

    _late_answers(session, ws, people)
    later = _walk(session, ws, teams, MONDAY + timedelta(hours=2))
    _unchanged(monday, later)

    # Friday: the week of 13 April has closed and is shown, late answers included.
    friday = _walk(session, ws, teams, MONDAY + timedelta(days=4))
    _unchanged(monday, friday)
    assert any(f.period in ("2026-W16", OPEN_WEEK.isoformat()) for f in friday.values())
    _unchanged(friday, _walk(session, ws, teams, MONDAY + timedelta(days=5)))
