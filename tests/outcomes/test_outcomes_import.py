"""Importing help-desk exports: every format from its fixture, idempotent, matched, reported."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.outcomes.formats import FormatError, detect_format, import_file
from models import CustomerOutcome, Person
from tests.support.outcome_data import FIXTURES, NOW, agents

# (file, format, rejected lines with a word of their reason)
CASES = [
    ("generic.csv", "csv", {7: "csat", 8: "when", 9: "kind", 10: "agent"}),
    ("zendesk.csv", "zendesk", {6: "offered", 7: "created_at"}),
    ("freshdesk.csv", "freshdesk", {6: "104", 7: "rating"}),
    ("intercom.csv", "intercom", {6: "1–5", 7: "rating"}),
]


def _outcomes(session: Session) -> list[CustomerOutcome]:
    return list(session.scalars(select(CustomerOutcome).order_by(CustomerOutcome.id)))


@pytest.mark.parametrize(("name", "fmt", "rejected"), CASES)
def test_each_format_imports_good_rows_once_and_reports_the_rest(
    session: Session, name: str, fmt: str, rejected: dict[int, str]
) -> None:
    a = agents(session)
    report = import_file(session, workspace_id=a.ws.id, path=FIXTURES / name, fmt=fmt, now=NOW)
    session.commit()
    assert (report.imported, report.duplicates, report.unmatched) == (
        4 if fmt == "csv" else 3,
        1,
        1,
    )
    assert {p.line: p.reason for p in report.rejected}.keys() == rejected.keys()
    for problem in report.rejected:
        assert rejected[problem.line].lower() in problem.reason.lower(), problem
    rows = _outcomes(session)
    assert {r.source for r in rows} == {fmt}
    by_person = {r.person_id for r in rows}
    assert by_person == {a.alice.id, a.bob.id, None}
    alice = next(r for r in rows if r.person_id == a.alice.id)
    assert alice.team_id == a.support.id
    assert alice.happened_on == date(2026, 3, 2)
    assert alice.week_start == date(2026, 3, 2)
    unmatched = next(r for r in rows if r.person_id is None)
    assert unmatched.team_id is None
    assert unmatched.agent_ref == "carol@example.com"

    again = import_file(session, workspace_id=a.ws.id, path=FIXTURES / name, fmt=fmt, now=NOW)
    session.commit()
    assert (again.imported, again.duplicates) == (0, report.imported + 1)
    assert len(_outcomes(session)) == report.imported


def test_the_format_is_recognised_from_the_header() -> None:
    for name, fmt, _ in CASES:
        header = (FIXTURES / name).read_text().splitlines()[0].split(",")
        assert detect_format(header) == fmt
    assert detect_format(["date", "rating"]) is None


def test_generic_values_are_scaled_and_kept_as_given(session: Session) -> None:
    a = agents(session)
    import_file(session, workspace_id=a.ws.id, path=FIXTURES / "generic.csv", fmt="csv", now=NOW)
    session.commit()
    rows = {r.external_id: r for r in _outcomes(session)}
    assert (rows["g-1"].kind, rows["g-1"].score, rows["g-1"].scaled) == ("csat", 5, 1.0)
    assert (rows["g-2"].kind, rows["g-2"].scaled) == ("nps", pytest.approx(0.9))
    # 10:15 at +01:00 is 09:15 UTC, on the day the help desk wrote.
    assert rows["g-2"].happened_at == datetime(2026, 3, 3, 9, 15, tzinfo=UTC)
    assert rows["g-2"].happened_on == date(2026, 3, 3)
    assert rows["g-1"].created_at == NOW  # stored through the bulk path as the ORM reads it
    assert rows["g-2"].person_id == a.bob.id  # matched by Slack id
    assert rows["g-3"].person_id == a.bob.id  # email matched whatever its case
    assert (rows["g-3"].kind, rows["g-3"].score, rows["g-3"].scaled) == ("thumbs", 0, 0.0)
    assert rows["g-1"].comment == "Quick, kind help"
    assert rows["g-1"].customer == "Acme"


def test_freshdesk_scale_and_intercom_epoch(session: Session) -> None:
    a = agents(session)
    import_file(
        session, workspace_id=a.ws.id, path=FIXTURES / "freshdesk.csv", fmt="freshdesk", now=NOW
    )
    import_file(
        session, workspace_id=a.ws.id, path=FIXTURES / "intercom.csv", fmt="intercom", now=NOW
    )
    session.commit()
    rows = {(r.source, r.external_id): r for r in _outcomes(session)}
    assert rows[("freshdesk", "2001")].scaled == 1.0
    assert rows[("freshdesk", "2002")].scaled == pytest.approx(0.5)
    assert rows[("freshdesk", "2003")].scaled == 0.0
    assert rows[("intercom", "216")].happened_on == date(2026, 3, 3)
    assert rows[("intercom", "216")].scaled == pytest.approx(0.25)
    assert rows[("intercom", "215")].comment == "Lovely support"
    assert rows[("intercom", "215")].customer is None  # an id like "c-1" names nobody


def test_dry_run_stores_nothing_but_reports_the_same(session: Session) -> None:
    a = agents(session)
    session.commit()
    report = import_file(
        session,
        workspace_id=a.ws.id,
        path=FIXTURES / "zendesk.csv",
        fmt=None,
        dry_run=True,
        now=NOW,
    )
    assert (report.imported, report.duplicates, report.unmatched) == (3, 1, 1)
    assert report.format == "zendesk"
    assert _outcomes(session) == []


def test_an_outcome_belongs_to_the_agents_team_on_that_day(session: Session) -> None:
    from tests.support import flowon_data as fd

    a = agents(session)
    # Alice was pulsed in billing the week of 2 March, and has moved to support since.
    fd.pulse_week(session, a.ws, a.billing, [a.alice], date(2026, 3, 2), [4])
    session.commit()
    import_file(session, workspace_id=a.ws.id, path=FIXTURES / "generic.csv", fmt="csv", now=NOW)
    session.commit()
    rows = {r.external_id: r for r in _outcomes(session)}
    assert rows["g-1"].team_id == a.billing.id


def test_a_later_sync_matches_the_unmatched_rows(session: Session) -> None:
    from bot.workspace.store import DirectoryUser, sync_people

    a = agents(session)
    import_file(session, workspace_id=a.ws.id, path=FIXTURES / "generic.csv", fmt="csv", now=NOW)
    session.commit()
    users = [
        DirectoryUser("U0ALICE", "Alice", "UTC", email="alice@example.com"),
        DirectoryUser("U0BOB", "Bob", "UTC", email="bob@example.com"),
        DirectoryUser("U0CAROL", "Carol", "UTC", email="Carol@Example.com"),
    ]
    sync_people(session, workspace=a.ws, users=users)
    session.commit()
    carol = session.scalars(select(Person).where(Person.slack_user_id == "U0CAROL")).one()
    assert carol.email == "carol@example.com"
    (row,) = [r for r in _outcomes(session) if r.external_id == "g-4"]
    assert row.person_id == carol.id
    assert row.team_id == carol.team_id is not None


def test_a_file_without_the_needed_columns_is_refused_by_name(session: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = agents(session)
    path = tmp_path / "odd.csv"
    path.write_text("when,agent,score\n2026-03-02,U0BOB,5\n")
    with pytest.raises(FormatError, match="kind"):
        import_file(session, workspace_id=a.ws.id, path=path, fmt="csv", now=NOW)
    with pytest.raises(FormatError, match="--format"):
        import_file(session, workspace_id=a.ws.id, path=path, fmt=None, now=NOW)


def test_an_unreadable_csv_row_is_rejected_and_the_rest_imported(
    session: Session, tmp_path: Path
) -> None:
    a = agents(session)
    path = tmp_path / "huge.csv"
    huge = "x" * 200_000  # beyond the csv module's field size limit
    path.write_text(
        "when,agent,kind,score,customer,comment,external_id\n"
        "2026-03-02,U0BOB,csat,4,,fine,h-1\n"
        f"2026-03-02,U0BOB,csat,4,,{huge},h-2\n"
        "2026-03-03,U0BOB,csat,5,,good,h-3\n"
    )
    report = import_file(session, workspace_id=a.ws.id, path=path, fmt="csv", now=NOW)
    assert report.imported == 2
    ((line, reason),) = [(p.line, p.reason) for p in report.rejected]
    assert line == 3
    assert "field" in reason


# (file, format, the bad workload column named on line 4)
WORKLOAD_CASES = [
    ("generic_workload.csv", "csv", "handle_time"),
    ("zendesk_workload.csv", "zendesk", "total_time_spent_sec"),
    ("freshdesk_workload.csv", "freshdesk", "time_tracked"),
    ("intercom_workload.csv", "intercom", "tickets"),
]


@pytest.mark.parametrize(("name", "fmt", "bad_column"), WORKLOAD_CASES)
def test_each_format_reads_handling_time_and_tickets_where_the_export_has_them(
    session: Session, name: str, fmt: str, bad_column: str
) -> None:
    a = agents(session)
    report = import_file(session, workspace_id=a.ws.id, path=FIXTURES / name, fmt=fmt, now=NOW)
    session.commit()
    assert report.imported == 2
    ((line, reason),) = [(p.line, p.reason) for p in report.rejected]
    assert line == 4
    assert reason.startswith(bad_column), reason
    by_person = {r.person_id: r for r in _outcomes(session)}
    alice, bob = by_person[a.alice.id], by_person[a.bob.id]
    # 30 minutes, however the export writes it (seconds, hh:mm, minutes); 14 tickets that day.
    expected = 90.0 if fmt == "freshdesk" else 30.0
    assert (alice.handle_minutes, alice.agent_day_tickets) == (expected, 14)
    assert (bob.handle_minutes, bob.agent_day_tickets) == (None, None)
