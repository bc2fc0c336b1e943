"""Pulse answers, notes and second-question answers, stored only under the respondent key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from bot.insights.rollup import invalidate_weeks, is_closed
from bot.insights.weeks import week_start
from bot.pulse.questions import is_valid_answer
from bot.pulse.respondents import respondent_key
from models import Person, PulseAnswer, PulseExtraAnswer, PulseNote, PulseSend
from models.upsert import upsert

ACCEPT_FOR = timedelta(hours=48)
NOTE_MAX_CHARS = 1000
SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class AnswerResult:
    """What a click did: recorded (with the streak), or refused because the pulse closed."""

    recorded: bool
    score: int
    streak: int = 0


def is_open(send: PulseSend, now: datetime) -> bool:
    """True while answers to ``send`` are accepted (48 h from sending)."""
    opened = send.sent_at or send.scheduled_for
    return now < opened + ACCEPT_FOR


# The statements a tap runs are built once: building a select() and its cache key
# costs more than running it on SQLite, and every tap runs several.
_PERSON_TEAM = select(Person.id, Person.team_id).where(Person.id == bindparam("person_id"))


def _snapshot_team(session: Session, send: PulseSend) -> int | None:
    row = session.execute(_PERSON_TEAM, {"person_id": send.person_id}).first()
    return row.team_id if row is not None else send.team_id


def _day_row(session: Session, send: PulseSend, key: str) -> dict[str, Any]:
    """The columns every per-day row (answer, second answer, note) shares."""
    return {
        "workspace_id": send.workspace_id,
        "respondent_key": key,
        "team_id": _snapshot_team(session, send),
        "pulse_date": send.pulse_date,
        "week_start": week_start(send.pulse_date),
    }


def record_answer(
    session: Session,
    *,
    secret: str,
    team_id: str,
    user_id: str,
    send: PulseSend,
    score: int,
    now: datetime,
    with_streak: bool = True,
) -> AnswerResult:
    """Upsert the 1–5 answer for ``send``'s day under the person's key; a later click replaces.

    One row per key and date (``ON CONFLICT DO UPDATE``), so Slack retries and
    double clicks, even concurrent ones, leave a single answer. ``with_streak=False``
    skips counting the streak (a caller that re-renders the DM counts it anyway).
    """
    if score not in SCORES:
        raise ValueError(f"score must be 1..5, got {score}")
    if not is_open(send, now):
        return AnswerResult(recorded=False, score=score)
    if send.status == "skipped":  # skipped earlier, answered after all: a pulse day again
        send.status, send.error = "sent", None
    key = respondent_key(secret, team_id, user_id)
    session.execute(
        upsert(
            session,
            PulseAnswer,
            keys=("respondent_key", "pulse_date"),
            updates=("score", "answered_at"),
        ),
        {**_day_row(session, send, key), "score": score, "answered_at": now},
    )
    if is_closed(week_start(send.pulse_date), now):  # a very late send: its week re-counts
        invalidate_weeks(
            session, workspace_id=send.workspace_id, weeks=[week_start(send.pulse_date)]
        )
    if not with_streak:
        return AnswerResult(recorded=True, score=score)
    streak = streak_for(session, person_id=send.person_id, key=key, as_of=send.pulse_date)
    return AnswerResult(recorded=True, score=score, streak=streak)


def record_extra(
    session: Session,
    *,
    secret: str,
    team_id: str,
    user_id: str,
    send: PulseSend,
    question_key: str,
    value: int,
    now: datetime,
) -> bool:
    """Upsert the answer to ``send``'s second question; False when closed or not its question."""
    if question_key != send.question_key or not is_valid_answer(question_key, value):
        return False
    if not is_open(send, now):
        return False
    session.execute(
        upsert(
            session,
            PulseExtraAnswer,
            keys=("respondent_key", "pulse_date", "question_key"),
            updates=("value", "answered_at"),
        ),
        {
            **_day_row(session, send, respondent_key(secret, team_id, user_id)),
            "question_key": question_key,
            "value": value,
            "answered_at": now,
        },
    )
    return True


def note_error(text: str | None) -> str | None:
    """Why a note cannot be saved (blank, too long), or None when it is fine."""
    stripped = (text or "").strip()
    if not stripped:
        return "Write a few words, or close this window to skip the note."
    if len(stripped) > NOTE_MAX_CHARS:
        return f"That's {len(stripped)} characters; please keep it to {NOTE_MAX_CHARS}."
    return None


def save_note(
    session: Session,
    *,
    secret: str,
    team_id: str,
    user_id: str,
    send: PulseSend,
    text: str,
    now: datetime,
) -> None:
    """Upsert the note for ``send``'s day under the person's key (check ``note_error`` first)."""
    problem = note_error(text)
    if problem is not None:
        raise ValueError(problem)
    session.execute(
        upsert(
            session,
            PulseNote,
            keys=("respondent_key", "pulse_date"),
            updates=("text", "created_at"),
        ),
        {
            **_day_row(session, send, respondent_key(secret, team_id, user_id)),
            "text": text.strip(),
            "created_at": now,
        },
    )


@dataclass(frozen=True)
class DayState:
    """One person's answers for one pulse day, as their DM shows them."""

    score: int | None
    extra_value: int | None
    note: str | None


def _mine(model: type[PulseAnswer] | type[PulseExtraAnswer] | type[PulseNote]) -> Any:
    return and_(model.respondent_key == bindparam("key"), model.pulse_date == bindparam("day"))


_DAY_STATE = select(
    select(PulseAnswer.score).where(_mine(PulseAnswer)).scalar_subquery(),
    select(PulseExtraAnswer.value)
    .where(_mine(PulseExtraAnswer), PulseExtraAnswer.question_key == bindparam("question"))
    .scalar_subquery(),
    select(PulseNote.text).where(_mine(PulseNote)).scalar_subquery(),
)


def day_state(session: Session, *, key: str, send: PulseSend) -> DayState:
    """The person's own answer, second answer and note for ``send``'s day."""
    params = {"key": key, "day": send.pulse_date, "question": send.question_key or ""}
    score, extra, note = session.execute(_DAY_STATE, params).one()
    return DayState(score=score, extra_value=extra, note=note)


def scores_since(session: Session, *, key: str, since: date) -> dict[date, int]:
    """The person's own 1–5 answers by pulse date from ``since`` on."""
    rows = session.execute(
        select(PulseAnswer.pulse_date, PulseAnswer.score).where(
            PulseAnswer.respondent_key == key, PulseAnswer.pulse_date >= since
        )
    ).all()
    return {k: v for k, v in rows}


_STREAK_DAYS = (
    select(PulseSend.pulse_date, PulseAnswer.score)
    .outerjoin(
        PulseAnswer,
        and_(
            PulseAnswer.respondent_key == bindparam("key"),
            PulseAnswer.pulse_date == PulseSend.pulse_date,
        ),
    )
    .where(
        PulseSend.person_id == bindparam("person_id"),
        PulseSend.pulse_date <= bindparam("as_of"),
        PulseSend.status.in_(("sent", "claimed")),
    )
    .order_by(PulseSend.pulse_date.desc())
    .limit(400)
)


def streak_for(
    session: Session, *, person_id: int, key: str, as_of: date, allow_open_today: bool = False
) -> int:
    """Consecutive answered pulse days ending at ``as_of``.

    Pulse days are the days the person was actually sent a pulse, so weekends,
    holidays and pauses don't break a streak. With ``allow_open_today`` an
    unanswered pulse on ``as_of`` itself is skipped (it can still be answered).
    """
    params = {"key": key, "person_id": person_id, "as_of": as_of}
    days = session.execute(_STREAK_DAYS, params).all()
    streak = 0
    for i, (day, score) in enumerate(days):
        if score is not None:
            streak += 1
        elif i == 0 and allow_open_today and day == as_of:
            continue
        else:
            break
    return streak
