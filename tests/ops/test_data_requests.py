"""Data-subject requests: `cxpulse person export|erase USER`, `cxpulse workspace erase TEAM`.

Answers come from real taps on the pulse DM; the commands run as `cxpulse` does, on the
app's database, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from bot.cli import main
from bot.demo.processes import SANDBOX_SECRET
from bot.pulse.anonymity import respondent_key
from bot.workspace.store import DirectoryUser, ensure_workspace, sync_people
from models import (
    Base,
    Celebration,
    CelebrationRecipient,
    Customer,
    CustomerMoment,
    ErasedPerson,
    Person,
    PulseAnswer,
    PulseNote,
    PulseSend,
    Workspace,
)
from models.installations import INSTALLATIONS_TABLE
from tests.support.stack import SandboxStack
from tests.support.waiting import wait_until

MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # London

pytestmark = pytest.mark.stack(now=MONDAY_10 - timedelta(hours=3))
BOBS_NOTE = "bob's private worry about the reorg"


def _cxpulse(
    stack: SandboxStack,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setenv("DATABASE_URL", stack.settings.database_url)
    monkeypatch.setenv("CXPULSE_SECRET", SANDBOX_SECRET)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _count(stack: SandboxStack, model: Any, *where: Any) -> int:
    with stack.runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _answered_monday(stack: SandboxStack) -> dict[str, str]:
    """Ann taps 2 and Bob taps 5 on Monday's pulse; Bob also leaves a note."""
    people = {
        name: stack.emulator.add_user(name=name, tz="Europe/London", email=f"{name}@example.com")[
            "id"
        ]
        for name in ("ann", "bob")
    }
    stack.run_job("sync-users")
    stack.run_job("pulses", MONDAY_10)
    for name, score in (("ann", 2), ("bob", 5)):
        user = people[name]
        message = stack.actor.latest_message(stack.actor.dm_of(user))
        stack.actor.click(user, message=message, action_id=f"pulse_score_{score}")
    wait_until(lambda: _count(stack, PulseAnswer) == 2, what="both answers")
    with stack.runtime.transaction() as session:
        ws = session.scalars(select(Workspace)).one()
        bob = session.scalars(select(Person).where(Person.slack_user_id == people["bob"])).one()
        key = respondent_key(SANDBOX_SECRET, ws.slack_team_id, people["bob"], day=MONDAY_10.date())
        session.add(
            PulseNote(
                workspace_id=ws.id,
                respondent_key=key,
                team_id=bob.team_id,
                pulse_date=MONDAY_10.date(),
                week_start=MONDAY_10.date(),
                text=BOBS_NOTE,
            )
        )
        ann = session.scalars(select(Person).where(Person.slack_user_id == people["ann"])).one()
        customer = Customer(workspace_id=ws.id, name="Acme", name_key="acme")
        session.add(customer)
        session.flush()
        session.add(
            CustomerMoment(
                workspace_id=ws.id,
                customer_id=customer.id,
                person_id=ann.id,
                happened_on=MONDAY_10.date(),
                week_start=MONDAY_10.date(),
                touchpoint="support",
                outcome="win",
                what_happened="ann fixed the invoice",
            )
        )
        for by, to, reason in (
            (people["bob"], [people["ann"]], "for ann alone"),
            (people["bob"], [people["ann"], people["bob"]], "for both"),
            (people["ann"], [people["bob"]], "ann thanks bob"),
        ):
            session.add(
                Celebration(
                    workspace_id=ws.id,
                    celebrated_by=by,
                    reason=reason,
                    week_start=MONDAY_10.date(),
                    recipients=[CelebrationRecipient(slack_user_id=u) for u in to],
                )
            )
    return people


def test_person_export_holds_their_own_data_and_nobody_elses_answers(
    stack: SandboxStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    people = _answered_monday(stack)
    stack.clock.set(MONDAY_10 + timedelta(days=30))
    code, out, err = _cxpulse(stack, monkeypatch, capsys, "person", "export", people["ann"])
    assert code == 0, err
    record = json.loads(out)
    assert record["person"]["slack_user_id"] == people["ann"]
    assert record["person"]["email"] == "ann@example.com"
    assert record["pulse_answers"] == [{"day": "2026-03-02", "score": 2}]
    assert record["notes"] == []
    assert record["pulses_sent"] == [{"day": "2026-03-02", "status": "sent"}]
    assert [m["what_happened"] for m in record["moments_logged"]] == ["ann fixed the invoice"]
    assert sorted(c["reason"] for c in record["celebrations"]["received"]) == [
        "for ann alone",
        "for both",
    ]
    assert [c["reason"] for c in record["celebrations"]["given"]] == ["ann thanks bob"]
    assert BOBS_NOTE not in out
    assert '"score": 5' not in out

    code, out, err = _cxpulse(stack, monkeypatch, capsys, "person", "export", "bob@example.com")
    assert code == 0, err
    record = json.loads(out)
    assert record["pulse_answers"] == [{"day": "2026-03-02", "score": 5}]
    assert record["notes"] == [{"day": "2026-03-02", "text": BOBS_NOTE}]


def test_person_export_of_someone_unknown_is_a_clear_error(
    stack: SandboxStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _answered_monday(stack)
    code, out, err = _cxpulse(stack, monkeypatch, capsys, "person", "export", "UNOBODY")
    assert (code, out) == (2, "")
    assert "nobody with Slack id or email 'UNOBODY'" in err
    code, _, err = _cxpulse(
        stack, monkeypatch, capsys, "person", "export", "UNOBODY", "--workspace", "TOTHER"
    )
    assert code == 2
    assert "no workspace 'TOTHER'" in err


def test_person_erase_removes_them_and_the_sync_does_not_bring_them_back(
    stack: SandboxStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    people = _answered_monday(stack)
    ann, bob = people["ann"], people["bob"]
    code, out, err = _cxpulse(stack, monkeypatch, capsys, "person", "erase", ann)
    assert code == 0, err
    assert f"erased {ann}" in out
    assert _count(stack, Person, Person.slack_user_id == ann) == 0
    assert _count(stack, PulseAnswer) == 1  # Bob's
    assert _count(stack, PulseNote) == 1  # Bob's
    assert _count(stack, PulseSend) == 1  # Bob's
    assert _count(stack, ErasedPerson) == 1
    with stack.runtime.sessions() as session:
        celebrations = {c.reason: c for c in session.scalars(select(Celebration))}
        assert set(celebrations) == {"for both", "ann thanks bob"}
        assert [r.slack_user_id for r in celebrations["for both"].recipients] == [bob]
        assert celebrations["ann thanks bob"].celebrated_by == "erased"
        moment = session.scalars(select(CustomerMoment)).one()
        assert moment.person_id is None
        dump = json.dumps(
            [
                [list(row) for row in session.execute(select(table))]
                for table in Base.metadata.sorted_tables
            ],
            default=str,
        )
    assert ann not in dump
    assert "ann@example.com" not in dump

    # Ann is still in Slack: the hourly sync and the next pulses leave her out.
    stack.run_job("sync-users", MONDAY_10 + timedelta(hours=1))
    assert _count(stack, Person, Person.slack_user_id == ann) == 0
    stack.run_job("pulses", MONDAY_10 + timedelta(days=1))
    assert _pulses_in(stack, bob) == 2
    assert _pulses_in(stack, ann) == 1  # Monday's, before she was erased
    assert _count(stack, PulseSend, PulseSend.pulse_date == date(2026, 3, 3)) == 1


def _pulses_in(stack: SandboxStack, user: str) -> int:
    return sum(
        1
        for m in stack.emulator.messages(stack.actor.dm_of(user))
        if (m.get("metadata") or {}).get("event_type") == "cxpulse_pulse"
    )


def _second_workspace(stack: SandboxStack) -> int:
    with stack.runtime.transaction() as session:
        other = ensure_workspace(session, slack_team_id="TKEEP", name="keep")
        sync_people(session, workspace=other, users=[DirectoryUser("UK1", "kept", "UTC")])
        return other.id


def _rows_of(stack: SandboxStack, workspace_id: int) -> int:
    with stack.runtime.sessions() as session:
        return sum(
            int(
                session.scalar(
                    select(func.count())
                    .select_from(table)
                    .where(table.c.workspace_id == workspace_id)
                )
                or 0
            )
            for table in Base.metadata.sorted_tables
            if "workspace_id" in table.c
        )


def test_workspace_erase_asks_then_deletes_only_that_workspace(
    stack: SandboxStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _answered_monday(stack)
    kept = _second_workspace(stack)
    with stack.runtime.transaction() as session:
        team = session.scalars(select(Workspace).where(Workspace.slack_team_id != "TKEEP")).one()
        erased_id, team_id = team.id, team.slack_team_id
        for tid in (team_id, "TKEEP"):
            session.execute(
                insert(INSTALLATIONS_TABLE).values(
                    client_id="c", app_id="A1", team_id=tid, user_id="UINSTALLER"
                )
            )
    before_kept = _rows_of(stack, kept)
    assert _rows_of(stack, erased_id) > 10

    code, _, err = _cxpulse(stack, monkeypatch, capsys, "workspace", "erase", team_id, stdin="y\n")
    assert code == 2
    assert "Type the team id" in err
    assert "nothing was deleted" in err
    assert _rows_of(stack, erased_id) > 10

    code, out, err = _cxpulse(
        stack, monkeypatch, capsys, "workspace", "erase", team_id, stdin=f"{team_id}\n"
    )
    assert code == 0, err
    assert f"erased workspace {team_id}" in out
    assert _rows_of(stack, erased_id) == 0
    assert _count(stack, Workspace, Workspace.slack_team_id == team_id) == 0
    assert _count(stack, INSTALLATIONS_TABLE, INSTALLATIONS_TABLE.c.team_id == team_id) == 0
    assert _rows_of(stack, kept) == before_kept
    assert _count(stack, INSTALLATIONS_TABLE, INSTALLATIONS_TABLE.c.team_id == "TKEEP") == 1


def test_workspace_erase_with_yes_and_unknown_team(
    stack: SandboxStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = _second_workspace(stack)
    code, _, err = _cxpulse(stack, monkeypatch, capsys, "workspace", "erase", "TNOPE", "--yes")
    assert code == 2
    assert "no workspace 'TNOPE'" in err
    assert "TKEEP" in err
    code, _, err = _cxpulse(stack, monkeypatch, capsys, "workspace", "erase", "TKEEP", "--yes")
    assert code == 0, err
    assert _rows_of(stack, kept) == 0
