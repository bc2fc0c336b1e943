"""Notes visibility, finding an author server-side, retention purge, uninstall, exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.core.disclosure import Audience
from bot.core.spreadsheet import render
from bot.core.weeks import week_start
from bot.insights.export import (
    CELEBRATION_COLUMNS,
    MOMENT_COLUMNS,
    celebration_rows,
    moment_rows,
)
from bot.notes.store import find_author, visible_note, visible_notes
from bot.workspace.retention import purge_before, retention_cutoff
from bot.workspace.store import (
    DirectoryUser,
    ensure_team,
    ensure_workspace,
    is_active,
    mark_installed,
    mark_uninstalled,
    sync_people,
)
from models import (
    Person,
    PulseAnswer,
    PulseNote,
    PulseSend,
    Workspace,
)
from tests.support.exports import NOW, SECRET, WEEK, seed_answers, seed_exports


def _at(day: date) -> datetime:
    """09:00 UTC on ``day``: when a lead looks."""
    return datetime.combine(day, datetime.min.time(), UTC).replace(hour=9)


def test_notes_need_a_group_at_the_threshold_and_stay_in_team_and_workspace(
    session: Session,
) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        other_ws = ensure_workspace(session, slack_team_id="T2")
        a = ensure_team(session, workspace=ws, name="A")
        b = ensure_team(session, workspace=ws, name="B")
        # Threshold 3 counts writers: A's three all wrote, B's two did, C had three
        # respondents but one writer.
        c = ensure_team(session, workspace=ws, name="C")
        seed_answers(session, ws, a.id, ["U1", "U2", "U3"], WEEK, note_by="*")
        seed_answers(session, ws, b.id, ["U4", "U5"], WEEK, note_by="*")  # below threshold 3
        seed_answers(session, ws, c.id, ["U6", "U7", "U8"], WEEK, note_by="U6")
        seed_answers(session, other_ws, None, ["U1", "U2", "U3"], WEEK, note_by="*")
        assert (
            visible_notes(session, workspace=ws, team_id=a.id, audience=Audience(3), now=_at(WEEK))
            == []
        )
        today = WEEK + timedelta(days=10)  # the week has closed
        in_a = visible_notes(
            session, workspace=ws, team_id=a.id, audience=Audience(3), now=_at(today)
        )
        assert [(n.week, n.text) for n in in_a] == [
            (date(2026, 3, 2), "note by someone on 2026-03-02")
        ] * 3
        assert (
            visible_notes(session, workspace=ws, team_id=b.id, audience=Audience(3), now=_at(today))
            == []
        )
        assert (
            visible_notes(session, workspace=ws, team_id=c.id, audience=Audience(3), now=_at(today))
            == []
        )
        everyone = visible_notes(
            session, workspace=ws, team_id=None, audience=Audience(3), now=_at(today)
        )
        assert sorted(n.id for n in everyone) == sorted(n.id for n in in_a)
        assert (
            visible_notes(session, workspace=ws, team_id=a.id, audience=Audience(4), now=_at(today))
            == []
        )
        other_note = visible_notes(
            session, workspace=other_ws, team_id=None, audience=Audience(3), now=_at(today)
        )[0]
        # Another workspace's note id is never visible here, whatever the payload says.
        assert (
            visible_note(
                session,
                workspace=ws,
                note_id=other_note.id,
                team_id=None,
                audience=Audience(3),
                now=_at(today),
            )
            is None
        )
        # Notes age out of the lead's view after eight weeks.
        assert (
            visible_notes(
                session,
                workspace=ws,
                team_id=a.id,
                audience=Audience(3),
                now=_at(today + timedelta(weeks=9)),
            )
            == []
        )


def test_find_author_matches_the_key_among_active_people(session: Session) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        users = [DirectoryUser(f"U{i}", f"p{i}", "UTC") for i in range(1, 5)]
        sync_people(session, workspace=ws, users=users)
        seed_answers(session, ws, None, ["U1", "U2", "U3"], WEEK, note_by="U3")
        note_id = session.scalar(select(PulseNote.id))
        assert note_id is not None
        author = find_author(session, workspace=ws, note_id=note_id, secret=SECRET)
        assert author is not None
        assert author.slack_user_id == "U3"
        assert find_author(session, workspace=ws, note_id=note_id, secret="other") is None
        sync_people(session, workspace=ws, users=users[:2])  # U3 left
        assert find_author(session, workspace=ws, note_id=note_id, secret=SECRET) is None


def test_purge_deletes_only_rows_older_than_retention(session: Session) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        other = ensure_workspace(session, slack_team_id="T2")
        cutoff = retention_cutoff(NOW.date(), 400)
        assert cutoff == date(2025, 2, 5)
        seed_answers(session, ws, None, ["U1", "U2"], cutoff - timedelta(days=1), note_by="U1")
        seed_answers(session, ws, None, ["U1", "U2"], cutoff, note_by="U2")
        seed_answers(session, other, None, ["U1"], cutoff - timedelta(days=30), note_by="U1")
        person = Person(workspace_id=ws.id, slack_user_id="U1", display_name="U1")
        session.add(person)
        session.flush()
        for day in (cutoff - timedelta(days=1), cutoff):  # who was asked which day goes too
            session.add(
                PulseSend(
                    workspace_id=ws.id,
                    person_id=person.id,
                    pulse_date=day,
                    week_start=week_start(day),
                    status="closed",
                )
            )
        session.flush()
        report = purge_before(session, workspace=ws, cutoff=cutoff)
        assert (report.answers, report.notes, report.extra_answers) == (2, 1, 2)
        assert report.sends == 1
        assert list(session.scalars(select(PulseSend.pulse_date))) == [cutoff]
        days = set(
            session.scalars(select(PulseAnswer.pulse_date).where(PulseAnswer.workspace_id == ws.id))
        )
        assert days == {cutoff}
        # Another workspace's rows wait for its own purge.
        assert (
            session.scalar(
                select(func.count())
                .select_from(PulseNote)
                .where(PulseNote.workspace_id == other.id)
            )
            == 1
        )


def test_uninstall_deactivates_or_deletes(session: Session) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        sync_people(session, workspace=ws, users=[DirectoryUser("U1", "p", "UTC")])
        ensure_workspace(session, slack_team_id="T2")
        assert mark_uninstalled(
            session, slack_team_id="T1", enterprise_id=None, org_wide=False, delete_data=False
        ) == ["T1"]
        assert not is_active(session, slack_team_id="T1")
        assert is_active(session, slack_team_id="T2")
        mark_installed(session, slack_team_id="T1", name="Back", enterprise_id=None)
        assert is_active(session, slack_team_id="T1")
        mark_uninstalled(
            session, slack_team_id="T1", enterprise_id=None, org_wide=False, delete_data=True
        )
        assert session.scalar(select(func.count()).select_from(Person)) == 0
        assert session.scalar(select(Workspace.slack_team_id)) == "T2"


def test_org_uninstall_covers_every_workspace_of_the_org(session: Session) -> None:
    with session.begin():
        for team in ("T1", "T2"):
            ensure_workspace(session, slack_team_id=team).enterprise_id = "E1"
        ensure_workspace(session, slack_team_id="T3")
        ids = mark_uninstalled(
            session, slack_team_id="T1", enterprise_id="E1", org_wide=True, delete_data=False
        )
        assert sorted(ids) == ["T1", "T2"]
        assert is_active(session, slack_team_id="T3")
        mark_installed(session, slack_team_id=None, enterprise_id="E1")
        assert is_active(session, slack_team_id="T2")


def test_exports_rows_and_formats(session: Session) -> None:
    with session.begin():
        seed_exports(session)
        moments = moment_rows(session)
        celebrations = celebration_rows(session, slack_team_id="T1")
        assert celebration_rows(session, slack_team_id="T2") == []
    assert moments[0]["customer"] == "Acme, Inc"
    assert moments[0]["week"] == "2026-W10"
    assert moments[0]["logged_by"] == "U1"
    assert moments[0]["team"] == "Support"
    assert celebrations[0]["recipients"] == "U1 U2"
    assert celebrations[0]["values"] == "ownership"
    parsed = list(csv.DictReader(io.StringIO(render(moments, MOMENT_COLUMNS, "csv"))))
    assert parsed[0]["what_happened"] == 'Fixed "it", fast'
    assert list(parsed[0]) == list(MOMENT_COLUMNS)
    as_json = json.loads(render(celebrations, CELEBRATION_COLUMNS, "json"))
    assert list(as_json[0]) == list(CELEBRATION_COLUMNS)


def test_export_cli_never_includes_pulse_answers(
    db_url: str,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with session.begin():
        seed_exports(session)
    monkeypatch.setenv("DATABASE_URL", db_url)
    for kind in ("moments", "celebrations"):
        for fmt in ("csv", "json"):
            assert main(["export", kind, "--format", fmt]) == 0
            out = capsys.readouterr().out
            assert "Acme" in out or "Saved the launch" in out
            assert "score" not in out
            assert "respondent" not in out
    with pytest.raises(SystemExit):
        main(["export", "pulse-answers"])
