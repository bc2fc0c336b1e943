"""Follow-ups: due in the logger's time zone, claimed once, never after done."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from bot.moments.store import (
    DoneResult,
    MomentDraft,
    claim_followup,
    due_followups,
    is_due,
    log_moment,
    mark_followup_done,
    release_followup,
)
from bot.workspace.store import ensure_workspace
from models import CustomerMoment, Person, Workspace

LOGGED = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DUE = date(2026, 3, 9)


def _moment(
    session: Session, tz: str = "UTC", *, followup: date | None = DUE
) -> tuple[Workspace, Person, CustomerMoment]:
    ws = ensure_workspace(session, slack_team_id="T1")
    person = Person(workspace_id=ws.id, slack_user_id="U1", tz=tz)
    session.add(person)
    session.flush()
    draft = MomentDraft(
        new_customer_name="Globex",
        touchpoint="sales",
        outcome="win",
        happened_on="2026-03-02",
        what_happened="Signed",
        followup_on=followup.isoformat() if followup else None,
    )
    moment = log_moment(session, workspace=ws, person=person, draft=draft, now=LOGGED).moment
    assert moment is not None
    return ws, person, moment


def test_due_from_nine_local_on_the_date() -> None:
    assert not is_due(DUE, "UTC", datetime(2026, 3, 9, 8, 59, tzinfo=UTC))
    assert is_due(DUE, "UTC", datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    assert is_due(DUE, "UTC", datetime(2026, 3, 12, 3, 0, tzinfo=UTC))  # late is still due
    # 22:00 UTC on the 8th is 11:00 on the 9th in Auckland.
    assert is_due(DUE, "Pacific/Auckland", datetime(2026, 3, 8, 22, 0, tzinfo=UTC))
    # 13:00 UTC on the 9th is 05:00 in Los Angeles: not yet.
    assert not is_due(DUE, "America/Los_Angeles", datetime(2026, 3, 9, 13, 0, tzinfo=UTC))


def test_due_followups_lists_only_due_unsent_undone(session: Session) -> None:
    with session.begin():
        ws, _, moment = _moment(session, tz="Pacific/Auckland")
    before = due_followups(session, workspace=ws, now=datetime(2026, 3, 8, 19, 0, tzinfo=UTC))
    assert before == []
    at = datetime(2026, 3, 8, 22, 0, tzinfo=UTC)
    (due,) = due_followups(session, workspace=ws, now=at)
    assert (due.moment_id, due.slack_user_id, due.customer_name) == (moment.id, "U1", "Globex")
    other = ensure_workspace(session, slack_team_id="T2")
    assert due_followups(session, workspace=other, now=at) == []


def test_claim_is_once_and_release_gives_it_back(session: Session) -> None:
    with session.begin():
        ws, _, moment = _moment(session)
    at = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    with session.begin():
        assert claim_followup(session, moment_id=moment.id, now=at) is True
        assert claim_followup(session, moment_id=moment.id, now=at) is False
    assert due_followups(session, workspace=ws, now=at) == []
    session.commit()
    with session.begin():
        release_followup(session, moment_id=moment.id)
    assert len(due_followups(session, workspace=ws, now=at)) == 1


def test_done_followups_are_never_due_and_only_the_logger_closes(session: Session) -> None:
    with session.begin():
        ws, _, moment = _moment(session)
    at = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    with session.begin():
        kw = {"workspace": ws, "moment_id": moment.id, "now": at}
        assert mark_followup_done(session, slack_user_id="U2", **kw) is DoneResult.NOT_YOURS  # type: ignore[arg-type]
        assert mark_followup_done(session, slack_user_id="U1", **kw) is DoneResult.DONE  # type: ignore[arg-type]
        assert mark_followup_done(session, slack_user_id="U1", **kw) is DoneResult.ALREADY  # type: ignore[arg-type]
        assert claim_followup(session, moment_id=moment.id, now=at) is False
    later = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    assert due_followups(session, workspace=ws, now=later) == []
    other = ensure_workspace(session, slack_team_id="T2")
    result = mark_followup_done(
        session, workspace=other, moment_id=moment.id, slack_user_id="U1", now=at
    )
    assert result is DoneResult.UNKNOWN


def test_inactive_people_get_no_followups(session: Session) -> None:
    with session.begin():
        ws, person, _ = _moment(session)
        person.active = False
    assert due_followups(session, workspace=ws, now=datetime(2026, 3, 9, 12, 0, tzinfo=UTC)) == []
