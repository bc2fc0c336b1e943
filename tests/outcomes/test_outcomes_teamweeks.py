"""Customer-reported team-week columns against hand-computed values (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.insights.reports import TEAM_WEEK_COLUMNS, format_team_weeks
from bot.insights.teamweeks import team_weeks
from bot.outcomes.rows import agent_index, generic_row
from bot.outcomes.store import store_outcomes
from tests.support import flowon_data as fd
from tests.support.outcome_data import NOW, agents

WEEK = date(2026, 3, 9)


def _store(
    session: Session,
    workspace_id: int,
    rows: list[tuple[str, str, str, object]],
    workload: list[tuple[str, str]] | None = None,
) -> None:
    """Store ratings; ``workload`` gives each row's (handle_time, tickets) cells."""
    cells = workload or [("", "")] * len(rows)
    checked = [
        generic_row(
            {
                "when": when,
                "agent": agent,
                "kind": kind,
                "score": score,
                "external_id": f"x{i}",
                "handle_time": handle,
                "tickets": tickets,
            },
            line=i,
        )
        for i, ((when, agent, kind, score), (handle, tickets)) in enumerate(
            zip(rows, cells, strict=True)
        )
    ]
    index = agent_index(session, workspace_id=workspace_id)
    store_outcomes(
        session, workspace_id=workspace_id, source="csv", rows=checked, index=index, now=NOW
    )


def test_customer_columns_per_team_week(session: Session) -> None:
    a = agents(session)
    day = WEEK.isoformat()
    _store(
        session,
        a.ws.id,
        [
            # support CSAT (NPS apart): scaled 1, .25, 1 → 1 + 4 × .75 = 4.0 on 1–5;
            # NPS 9, 10 promote, 3 detracts
            (day, "alice@example.com", "csat", 5),
            (day, "alice@example.com", "csat", 2),
            (day, "U0ALICE", "nps", 10),
            (day, "U0ALICE", "nps", 9),
            (day, "U0ALICE", "nps", 3),
            (day, "alice@example.com", "thumbs", "good"),
            # billing: one thumbs down, no NPS answer
            (day, "bob@example.com", "thumbs", "bad"),
            # nobody's yet: only in the whole-workspace figures
            (day, "carol@example.com", "csat", 3),
            # next week, support: one NPS 7 (passive) → NPS 0
            ((WEEK + timedelta(days=8)).isoformat(), "alice@example.com", "nps", 7),
        ],
    )
    session.commit()

    rows = {
        (r.team, r.week_start): r for r in team_weeks(session, workspace_id=a.ws.id, threshold=5)
    }
    support = rows[("support", WEEK)]
    assert support.customer_responses == 6
    assert support.customer_csat == pytest.approx(4.0)
    assert support.customer_nps == pytest.approx(100 * (2 - 1) / 3)
    billing = rows[("billing", WEEK)]
    assert (billing.customer_responses, billing.customer_csat, billing.customer_nps) == (1, 1, None)
    later = rows[("support", WEEK + timedelta(weeks=1))]
    assert (later.customer_responses, later.customer_nps) == (1, 0.0)
    assert later.customer_csat is None  # an NPS answer is not a CSAT
    assert len(rows) == 3  # the unmatched row makes no "(no team)" row

    whole = {
        r.week_start: r
        for r in team_weeks(session, workspace_id=a.ws.id, threshold=5, by_team=False)
    }
    assert whole[WEEK].customer_responses == 8
    assert whole[WEEK].customer_csat == pytest.approx(1 + 4 * (2.25 + 0 + 0.5) / 5)
    assert (support.tickets, support.handle_time) == (None, None)  # no export carried them


def test_export_appends_the_customer_columns(session: Session) -> None:
    a = agents(session)
    team, people = fd.team_with_people(session, a.ws, "sales", 5)
    fd.pulse_week(session, a.ws, team, people, WEEK, [4] * 5)
    fd.moment(session, a.ws, team, WEEK, "win", csat=4)
    _store(
        session,
        a.ws.id,
        [
            (WEEK.isoformat(), "alice@example.com", "nps", 10),
            (WEEK.isoformat(), "U0BOB", "csat", 4),
        ],
    )
    session.commit()
    assert TEAM_WEEK_COLUMNS[:9] == (
        "team",
        "week",
        "respondents",
        "mean_mood",
        "participation",
        "moments",
        "win_share",
        "mean_csat",
        "mean_sentiment",
    )
    assert TEAM_WEEK_COLUMNS[9:] == (
        "customer_responses",
        "customer_csat",
        "customer_nps",
        "tickets",
        "handle_time",
    )
    out = format_team_weeks(team_weeks(session, workspace_id=a.ws.id, threshold=5), "csv")
    records = {r["team"]: r for r in csv.DictReader(io.StringIO(out))}
    assert records["sales"]["mean_mood"] == "4.0"
    assert (records["sales"]["customer_responses"], records["sales"]["customer_csat"]) == ("0", "")
    assert records["support"]["customer_responses"] == "1"
    assert (records["support"]["customer_csat"], records["support"]["customer_nps"]) == (
        "",
        "100.0",
    )
    assert (records["billing"]["customer_csat"], records["billing"]["customer_nps"]) == ("4.0", "")
    assert (records["billing"]["tickets"], records["billing"]["handle_time"]) == ("", "")


def test_outcomes_team_is_the_snapshot_not_todays(session: Session) -> None:
    a = agents(session)
    fd.pulse_week(session, a.ws, a.billing, [a.alice], WEEK, [4])
    _store(
        session, a.ws.id, [(datetime(2026, 3, 10, tzinfo=UTC).isoformat(), "U0ALICE", "csat", 5)]
    )
    session.commit()
    (row,) = [
        r for r in team_weeks(session, workspace_id=a.ws.id, threshold=5) if r.customer_responses
    ]
    assert row.team == "billing"


def test_flowon_input_reads_the_exported_customer_columns(session: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.insights.flowon_input import read_team_weeks

    a = agents(session)
    day = WEEK.isoformat()
    _store(session, a.ws.id, [(day, "U0ALICE", "csat", 4), (day, "U0ALICE", "nps", 10)])
    session.commit()
    path = tmp_path / "team-weeks.csv"
    path.write_text(
        format_team_weeks(team_weeks(session, workspace_id=a.ws.id, threshold=5), "csv")
    )
    (row,) = read_team_weeks(path)
    assert row.customer_csat == pytest.approx(4.0)  # on 1–5, the NPS answer apart
    assert row.customer_nps == 100.0


def test_workload_per_team_week_counts_each_agents_day_once(session: Session) -> None:
    a = agents(session)
    monday, tuesday = WEEK.isoformat(), (WEEK + timedelta(days=1)).isoformat()
    _store(
        session,
        a.ws.id,
        [
            (monday, "alice@example.com", "csat", 5),
            (monday, "U0ALICE", "csat", 4),  # alice again, same day: her 12 tickets once
            (tuesday, "alice@example.com", "csat", 3),
            (monday, "bob@example.com", "thumbs", "good"),
            (monday, "bob@example.com", "csat", 2),
        ],
        [("10", "12"), ("20", "12"), ("30", "8"), ("6", ""), ("", "")],
    )
    session.commit()
    rows = {r.team: r for r in team_weeks(session, workspace_id=a.ws.id, threshold=5)}
    assert (rows["support"].tickets, rows["support"].handle_time) == (12 + 8, 20.0)
    assert (rows["billing"].tickets, rows["billing"].handle_time) == (None, 6.0)
    out = format_team_weeks(list(rows.values()), "csv")
    records = {r["team"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (records["support"]["tickets"], records["support"]["handle_time"]) == ("20", "20.0")
    assert list(records["support"])[-2:] == ["tickets", "handle_time"]
