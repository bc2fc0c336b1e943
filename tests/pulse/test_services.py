"""Pulse services on a real database: claims, stale take-over, answers, streaks, forget-me."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.pulse.anonymity import SKIPPED, monthly_key, respondent_key, send_flag_trace
from bot.pulse.answers import (
    note_error,
    record_answer,
    record_extra,
    save_note,
    skip_day,
    streak_for,
)
from bot.pulse.delivery import claim_reminders
from bot.pulse.schedule import due_pulses
from bot.pulse.store import SendOutcome, record_outcomes, take_over_stale
from bot.pulse.window import closed_sends, flags_of, forget_send_details
from bot.settings.store import forget_person, parse_pause_days, pause
from bot.workspace.store import ensure_workspace
from models import (
    Person,
    PulseAnswer,
    PulseExtraAnswer,
    PulseNote,
    PulsePreference,
    PulseSend,
    PulseSendFlag,
)
from models.db import make_sessionmaker
from tests.support.pulse import (
    MONDAY_10_LONDON,
    SECRET,
    TEAM,
    claim_due,
    claim_now,
    config,
    mark_all_sent,
    seed,
)


def test_a_due_pulse_is_claimed_once_whoever_asks(session: Session) -> None:
    seed(session, ("U1", "Europe/London"), ("U2", "Asia/Kolkata"))
    ws = ensure_workspace(session, slack_team_id=TEAM)
    due = due_pulses(session, workspace=ws, config=config(), now=MONDAY_10_LONDON)
    assert [d.slack_user_id for d in due] == ["U1"]  # Kolkata's 10:00 was 04:30 UTC: too late
    first = claim_due(session, ws, due, MONDAY_10_LONDON, worker="a")
    # A second worker that computed the same due list before the first committed gets nothing.
    second = claim_due(session, ws, due, MONDAY_10_LONDON, worker="b")
    session.commit()
    assert len(first) == 1
    assert second == []
    assert due_pulses(session, workspace=ws, config=config(), now=MONDAY_10_LONDON) == []


def test_stale_claims_are_taken_over_once_and_expire(session: Session) -> None:
    seed(session, ("U1", "Europe/London"))
    ws = ensure_workspace(session, slack_team_id=TEAM)
    (send_id,) = claim_now(session, MONDAY_10_LONDON)
    soon = MONDAY_10_LONDON + timedelta(minutes=5)
    assert take_over_stale(session, workspace=ws, now=soon, worker="w2") == []
    later = MONDAY_10_LONDON + timedelta(minutes=15)
    resumed = take_over_stale(session, workspace=ws, now=later, worker="w2")
    assert [(c.send_id, c.resumed) for c in resumed] == [(send_id, True)]
    assert take_over_stale(session, workspace=ws, now=later, worker="w3") == []
    session.commit()
    send = session.get(PulseSend, send_id)
    assert send is not None
    assert send.claimed_by == "w2"
    assert send.attempts == 2
    # Past the catch-up window nobody sends it any more.
    too_late = MONDAY_10_LONDON + timedelta(hours=4)
    assert take_over_stale(session, workspace=ws, now=too_late, worker="w4") == []
    session.commit()
    session.refresh(send)
    assert send.status == "skipped"


def test_outcomes_permanent_failure_marks_person_unreachable(session: Session) -> None:
    people = seed(session, ("U1", "Europe/London"), ("U2", "Europe/London"))
    a, b = claim_now(session, MONDAY_10_LONDON)
    record_outcomes(
        session,
        outcomes=[
            SendOutcome(a, people["U1"].id, error="account_inactive", permanent=True),
            SendOutcome(b, people["U2"].id, error="TimeoutError"),
        ],
        now=MONDAY_10_LONDON,
    )
    session.commit()
    session.refresh(people["U1"])
    assert people["U1"].dm_error == "account_inactive"
    failed, released = session.get(PulseSend, a), session.get(PulseSend, b)
    assert failed is not None
    assert failed.status == "failed"
    assert released is not None
    assert released.status == "claimed"
    # The released claim is stale at once; the unreachable person is never due again.
    ws = ensure_workspace(session, slack_team_id=TEAM)
    resumed = take_over_stale(session, workspace=ws, now=MONDAY_10_LONDON, worker="w2")
    assert [c.send_id for c in resumed] == [b]
    tuesday = MONDAY_10_LONDON + timedelta(days=1)
    assert [
        d.slack_user_id for d in due_pulses(session, workspace=ws, config=config(), now=tuesday)
    ] == ["U2"]


def _sent(session: Session) -> tuple[PulseSend, dict[str, Any]]:
    """U1's Monday pulse is claimed and sent: the send, and U1's arguments to answer it."""
    (send_id,) = claim_now(session, MONDAY_10_LONDON)
    mark_all_sent(session, MONDAY_10_LONDON)
    send = session.get(PulseSend, send_id)
    assert send is not None
    return send, {"secret": SECRET, "team_id": TEAM, "user_id": "U1", "send": send}


def test_answer_upserts_replaces_and_closes_after_48_hours(session: Session) -> None:
    people = seed(session, ("U1", "Europe/London"))
    send, args = _sent(session)
    assert record_answer(session, **args, score=2, now=MONDAY_10_LONDON).recorded
    assert record_answer(session, **args, score=2, now=MONDAY_10_LONDON).recorded
    result = record_answer(session, **args, score=5, now=MONDAY_10_LONDON + timedelta(hours=47))
    session.commit()
    assert result.recorded
    closed = record_answer(session, **args, score=1, now=MONDAY_10_LONDON + timedelta(hours=48))
    assert not closed.recorded
    answers = session.scalars(select(PulseAnswer)).all()
    assert [(a.score, a.respondent_key) for a in answers] == [
        (5, respondent_key(SECRET, TEAM, "U1", day=send.pulse_date))
    ]
    assert answers[0].team_id == people["U1"].team_id
    with pytest.raises(ValueError, match=r"1\.\.5"):
        record_answer(session, **args, score=6, now=MONDAY_10_LONDON)


def test_extra_answers_and_notes_validate(session: Session) -> None:
    seed(session, ("U1", "Europe/London"))
    send, args = _sent(session)
    assert send.question_key == "enps"
    assert not record_extra(session, **args, question_key="enps", value=11, now=MONDAY_10_LONDON)
    assert not record_extra(session, **args, question_key="workload", value=3, now=MONDAY_10_LONDON)
    assert record_extra(session, **args, question_key="enps", value=9, now=MONDAY_10_LONDON)
    assert record_extra(session, **args, question_key="enps", value=10, now=MONDAY_10_LONDON)
    save_note(session, **args, text="  long day  ", now=MONDAY_10_LONDON)
    save_note(session, **args, text="better now", now=MONDAY_10_LONDON)
    session.commit()
    assert [e.value for e in session.scalars(select(PulseExtraAnswer))] == [10]
    assert [n.text for n in session.scalars(select(PulseNote))] == ["better now"]
    assert note_error("   ") is not None
    assert note_error("x" * 1001) is not None
    assert note_error("x" * 1000) is None


def test_streak_counts_pulse_days_not_calendar_days(session: Session) -> None:
    seed(session, ("U1", "UTC"))
    monday = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    sends: dict[date, PulseSend] = {}
    for offset in (0, 1, 2, 3, 4, 7):  # Mon..Fri, then the next Monday
        now = monday + timedelta(days=offset)
        claim_now(session, now)
        mark_all_sent(session, now)
    for send in session.scalars(select(PulseSend)):
        sends[send.pulse_date] = send
    person_id = next(iter(sends.values())).person_id
    # The answers sit under two different weekly keys; the streak finds both.
    who = {"secret": SECRET, "team_id": TEAM, "user_id": "U1", "person_id": person_id}
    for day in (date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 6)):
        record_answer(
            session,
            secret=SECRET,
            team_id=TEAM,
            user_id="U1",
            send=sends[day],
            score=3,
            now=datetime.combine(day, time(11), tzinfo=UTC),
        )
    # Tuesday unanswered breaks it; Wed–Fri count; the weekend does not break it.
    assert streak_for(session, **who, as_of=date(2026, 3, 6)) == 3
    monday_after = date(2026, 3, 9)
    assert streak_for(session, **who, as_of=monday_after) == 0
    assert streak_for(session, **who, as_of=monday_after, allow_open_today=True) == 3


def test_questions_for_leads_and_monthly_enps(session: Session) -> None:
    seed(session, ("ULEAD", "UTC"), ("U1", "UTC"))
    ws = ensure_workspace(session, slack_team_id=TEAM)
    keys: dict[str, list[str | None]] = {"ULEAD": [], "U1": []}
    for offset in (0, 1, 2):
        now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC) + timedelta(days=offset)
        due = due_pulses(session, workspace=ws, config=config(), now=now)
        claims = claim_due(session, ws, due, now, worker="w", leads=frozenset({"ULEAD"}))
        for claim in claims:
            keys[claim.slack_user_id].append(claim.question_key)
    assert keys["ULEAD"][:2] == ["experience_gap", "enps"]
    assert keys["U1"][0] == "enps"
    assert "enps" not in keys["U1"][1:]
    assert None not in keys["U1"]


def test_forget_me_removes_only_that_persons_rows(session: Session) -> None:
    people = seed(session, ("U1", "UTC"), ("U2", "UTC"))
    claim_now(session, datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    mark_all_sent(session, datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    for uid, person in people.items():
        send = session.scalars(select(PulseSend).where(PulseSend.person_id == person.id)).one()
        args = {"secret": SECRET, "team_id": TEAM, "user_id": uid, "send": send}
        now = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
        record_answer(session, **args, score=4, now=now)
        record_extra(session, **args, question_key="enps", value=7, now=now)
        save_note(session, **args, text="hello", now=now)
        pause(session, person=person, days=3, today=date(2026, 3, 2), now=now)
    session.commit()
    today = date(2026, 3, 2)
    report = forget_person(
        session, secret=SECRET, team_id=TEAM, person=people["U1"], today=today, now=now
    )
    session.commit()
    assert (report.answers, report.notes, report.extra_answers) == (1, 1, 1)
    assert (report.traces, report.sends) == (1, 1)  # the eNPS trace, the send
    other = respondent_key(SECRET, TEAM, "U2", day=today)
    for model in (PulseAnswer, PulseNote):
        assert [r.respondent_key for r in session.scalars(select(model))] == [other]
    assert [r.respondent_key for r in session.scalars(select(PulseExtraAnswer))] == [
        monthly_key(SECRET, TEAM, "U2", day=today)
    ]
    # Settings stay (a pause must survive forget-me), marked so today is not re-sent.
    prefs = {p.person_id: p for p in session.scalars(select(PulsePreference))}
    assert set(prefs) == {people["U1"].id, people["U2"].id}
    assert prefs[people["U1"].id].paused_until == date(2026, 3, 4)
    assert prefs[people["U1"].id].forgotten_on == today
    assert [s.person_id for s in session.scalars(select(PulseSend))] == [people["U2"].id]


def test_reminders_once_and_only_when_unanswered(session: Session) -> None:
    seed(session, ("U1", "Europe/London"), ("U2", "Europe/London"))
    claim_now(session, MONDAY_10_LONDON)
    mark_all_sent(session, MONDAY_10_LONDON)
    ws = ensure_workspace(session, slack_team_id=TEAM)
    answered = session.scalars(
        select(PulseSend).join(Person).where(Person.slack_user_id == "U2")
    ).one()
    record_answer(
        session,
        secret=SECRET,
        team_id=TEAM,
        user_id="U2",
        send=answered,
        score=3,
        now=MONDAY_10_LONDON,
    )
    session.commit()
    args = {"secret": SECRET, "workspace": ws, "config": config()}
    assert claim_reminders(session, **args, now=MONDAY_10_LONDON + timedelta(hours=3)) == []
    first = claim_reminders(session, **args, now=MONDAY_10_LONDON + timedelta(hours=4))
    again = claim_reminders(session, **args, now=MONDAY_10_LONDON + timedelta(hours=5))
    session.commit()
    assert len(first) == 1
    assert again == []
    unanswered = session.get(PulseSend, first[0].send_id)
    assert unanswered is not None
    assert unanswered.person_id != answered.person_id


def test_reminded_and_skipped_are_keyed_traces_the_send_rows_cannot_tell(
    session: Session,
) -> None:
    people = seed(
        session, ("U1", "Europe/London"), ("U2", "Europe/London"), ("U3", "Europe/London")
    )
    claim_now(session, MONDAY_10_LONDON)
    mark_all_sent(session, MONDAY_10_LONDON)
    ws = ensure_workspace(session, slack_team_id=TEAM)
    send_of = {
        p.slack_user_id: session.scalars(select(PulseSend).where(PulseSend.person_id == p.id)).one()
        for p in people.values()
    }
    record_answer(
        session,
        secret=SECRET,
        team_id=TEAM,
        user_id="U2",
        send=send_of["U2"],
        score=3,
        now=MONDAY_10_LONDON,
    )
    skipped = skip_day(
        session, secret=SECRET, team_id=TEAM, user_id="U3", send=send_of["U3"], now=MONDAY_10_LONDON
    )
    assert skipped == SKIPPED
    session.commit()
    before = {s.id: _columns(s) for s in send_of.values()}
    args = {"secret": SECRET, "workspace": ws, "config": config()}
    (reminded,) = claim_reminders(session, **args, now=MONDAY_10_LONDON + timedelta(hours=4))
    assert reminded.send_id == send_of["U1"].id  # not the one who answered nor the skipper
    session.commit()
    session.expire_all()
    # Nothing on any send row changed or differs between answered, skipped and reminded.
    assert {s.id: _columns(s) for s in session.scalars(select(PulseSend))} == before
    assert len({(v["status"], v["error"]) for v in before.values()}) == 1
    # The flags: two traces with the day only, none equal to anything a dump can compute.
    flags = list(session.scalars(select(PulseSendFlag)))
    assert sorted(f.pulse_date for f in flags) == [MONDAY_10_LONDON.date()] * 2
    assert set(_columns(flags[0])) == {"trace", "workspace_id", "pulse_date"}
    # Another run, even much later the same day, reminds nobody twice.
    assert claim_reminders(session, **args, now=MONDAY_10_LONDON + timedelta(hours=6)) == []
    # Once the window closed: the skipped send goes, every flag goes.
    closed_at = MONDAY_10_LONDON + timedelta(days=4)
    closed = closed_sends(session, workspace_id=ws.id, now=closed_at)
    flags_now = flags_of(session, secret=SECRET, slack_team_id=TEAM, send_ids=closed)
    assert [r.send_id for r in flags_now.reminders] == [send_of["U1"].id]
    assert flags_now.skipped == [send_of["U3"].id]
    forget_send_details(session, send_ids=closed, flags=flags_now)
    session.commit()
    assert list(session.scalars(select(PulseSendFlag))) == []
    assert {s.person_id for s in session.scalars(select(PulseSend))} == {
        people["U1"].id,
        people["U2"].id,
    }


def test_forget_me_drops_the_persons_flags(session: Session) -> None:
    people = seed(session, ("U1", "Europe/London"), ("U2", "Europe/London"))
    claim_now(session, MONDAY_10_LONDON)
    mark_all_sent(session, MONDAY_10_LONDON)
    for user in ("U1", "U2"):
        send = session.scalars(
            select(PulseSend).where(PulseSend.person_id == people[user].id)
        ).one()
        skip_day(
            session, secret=SECRET, team_id=TEAM, user_id=user, send=send, now=MONDAY_10_LONDON
        )
    session.commit()
    assert len(list(session.scalars(select(PulseSendFlag)))) == 2
    forget_person(
        session,
        secret=SECRET,
        team_id=TEAM,
        person=people["U1"],
        today=MONDAY_10_LONDON.date(),
        now=MONDAY_10_LONDON,
    )
    session.commit()
    left = [f.trace for f in session.scalars(select(PulseSendFlag))]
    assert left == [send_flag_trace(SECRET, TEAM, "U2", day=MONDAY_10_LONDON.date(), kind=SKIPPED)]


def test_answering_after_skipping_makes_it_a_pulse_day_again(session: Session) -> None:
    people = seed(session, ("U1", "Europe/London"))
    _, args = _sent(session)
    assert skip_day(session, **args, now=MONDAY_10_LONDON) == SKIPPED
    record_answer(session, **args, score=4, now=MONDAY_10_LONDON + timedelta(hours=1))
    session.commit()
    assert list(session.scalars(select(PulseSendFlag))) == []
    ws = ensure_workspace(session, slack_team_id=TEAM)
    closed_at = MONDAY_10_LONDON + timedelta(days=4)
    closed = closed_sends(session, workspace_id=ws.id, now=closed_at)
    forget_send_details(
        session,
        send_ids=closed,
        flags=flags_of(session, secret=SECRET, slack_team_id=TEAM, send_ids=closed),
    )
    session.commit()
    kept = session.scalars(select(PulseSend)).one()
    assert (kept.person_id, kept.status) == (people["U1"].id, "closed")


def test_two_reminder_runs_at_once_remind_once(session: Session, engine: Engine) -> None:
    seed(session, ("U1", "Europe/London"))
    claim_now(session, MONDAY_10_LONDON)
    mark_all_sent(session, MONDAY_10_LONDON)
    at = MONDAY_10_LONDON + timedelta(hours=4)
    first, second = make_sessionmaker(engine)(), make_sessionmaker(engine)()
    try:
        ws = ensure_workspace(first, slack_team_id=TEAM)
        won = claim_reminders(first, secret=SECRET, workspace=ws, config=config(), now=at)
        assert len(won) == 1  # the first run's flag is written, not yet committed
        results: list[list[object]] = []

        def other_run() -> None:
            ws2 = ensure_workspace(second, slack_team_id=TEAM)
            results.append(
                list(claim_reminders(second, secret=SECRET, workspace=ws2, config=config(), now=at))
            )
            second.commit()

        runner = threading.Thread(target=other_run)
        runner.start()
        runner.join(timeout=0.5)  # it waits on the first run's flag (or its write lock)
        first.commit()
        runner.join(timeout=30)
        assert results == [[]]
    finally:
        first.close()
        second.close()


def _columns(row: object) -> dict[str, object]:
    table = row.__table__  # type: ignore[attr-defined]
    return {c.name: getattr(row, c.key) for c in table.columns if c.name not in ("id", "person_id")}


def test_pause_days_parsing() -> None:
    assert parse_pause_days("5") == 5
    assert parse_pause_days(" 90 days") == 90
    for bad in ("", "0", "91", "-3", "soon", "2.5"):
        assert isinstance(parse_pause_days(bad), str), bad
