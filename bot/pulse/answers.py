"""Pulse answers, notes, second-question answers and skips, stored only under the respondent
key; and whose pulse a click is about (the send named in a button, checked against the clicker).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.core.disclosure import day_closed
from bot.core.i18n import ENGLISH, Translator
from bot.core.weeks import week_start
from bot.pulse.anonymity import (
    SKIPPED,
    add_flags,
    drop_flags,
    monthly_key,
    respondent_key,
    send_flag_trace,
    skipped_days,
    week_keys,
    write_shuffled,
)
from bot.pulse.questions import EXPERIENCE_GAP, MONTHLY, is_valid_answer
from models import Person, PulseAnswer, PulseExtraAnswer, PulseNote, PulseSend, Workspace
from models.upsert import upsert

ACCEPT_FOR = timedelta(hours=48)
NOTE_MAX_CHARS = 1000
SKIP_DAYS = 7  # a skip flag is gone once its answer window closed (a few days)
SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class AnswerResult:
    """What a click did: recorded, or refused because the pulse closed."""

    recorded: bool
    score: int


def is_open(send: PulseSend, now: datetime) -> bool:
    """True while answers to ``send`` are accepted (48 h from sending; never once closed).

    Never once the pulse day is closed either, whenever the pulse went out: a figure of a
    closed period may be shown, and must not change afterwards.
    """
    opened = send.sent_at or send.scheduled_for
    return opened is not None and now < opened + ACCEPT_FOR and not day_closed(send.pulse_date, now)


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
) -> AnswerResult:
    """Upsert the 1–5 answer for ``send``'s day under the person's key; a later click replaces.

    One row per key and date (``ON CONFLICT DO UPDATE``), so Slack retries and
    double clicks, even concurrent ones, leave a single answer. No time is stored.
    """
    if score not in SCORES:
        raise ValueError(f"score must be 1..5, got {score}")
    if not is_open(send, now):
        return AnswerResult(recorded=False, score=score)
    # Skipped earlier, answered after all: a pulse day again.
    drop_flags(
        session, [send_flag_trace(secret, team_id, user_id, day=send.pulse_date, kind=SKIPPED)]
    )
    key = respondent_key(secret, team_id, user_id, day=send.pulse_date)
    write_shuffled(
        session,
        PulseAnswer,
        upsert(session, PulseAnswer, keys=("respondent_key", "pulse_date"), updates=("score",)),
        {**_day_row(session, send, key), "score": score},
    )
    return AnswerResult(recorded=True, score=score)


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
    """Upsert the answer to ``send``'s second question; False when closed or not its question.

    Monthly questions are stored at month precision under the monthly key; the
    experience gap (leads only) without a team, so it is only "one of the leads".
    """
    if question_key != send.question_key or not is_valid_answer(question_key, value):
        return False
    if not is_open(send, now):
        return False
    if question_key in MONTHLY:
        month = send.pulse_date.replace(day=1)
        row = {
            "workspace_id": send.workspace_id,
            "respondent_key": monthly_key(secret, team_id, user_id, day=month),
            "team_id": None if question_key == EXPERIENCE_GAP else _snapshot_team(session, send),
            "pulse_date": month,
            "week_start": month,
        }
    else:
        row = _day_row(session, send, respondent_key(secret, team_id, user_id, day=send.pulse_date))
    write_shuffled(
        session,
        PulseExtraAnswer,
        upsert(
            session,
            PulseExtraAnswer,
            keys=("respondent_key", "pulse_date", "question_key"),
            updates=("value", "sealed"),
        ),
        {**row, "question_key": question_key, "value": value, "sealed": False},
    )
    return True


def note_error(text: str | None, t: Translator = ENGLISH) -> str | None:
    """Why a note cannot be saved (blank, too long), or None when it is fine."""
    stripped = (text or "").strip()
    if not stripped:
        return t.gettext("Write a few words, or close this window to skip the note.")
    if len(stripped) > NOTE_MAX_CHARS:
        return t.gettext(
            "That's %(count)s characters; please keep it to %(limit)s.",
            count=len(stripped),
            limit=NOTE_MAX_CHARS,
        )
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
) -> bool:
    """Upsert the note for ``send``'s day under the person's key; False once the pulse closed."""
    problem = note_error(text)
    if problem is not None:
        raise ValueError(problem)
    if not is_open(send, now):
        return False
    key = respondent_key(secret, team_id, user_id, day=send.pulse_date)
    write_shuffled(
        session,
        PulseNote,
        upsert(session, PulseNote, keys=("respondent_key", "pulse_date"), updates=("text",)),
        {**_day_row(session, send, key), "text": text.strip()},
    )
    return True


def own_note(session: Session, *, key: str, day: date) -> str | None:
    """The person's own note for ``day`` (to prefill the note modal)."""
    return session.scalar(
        select(PulseNote.text).where(PulseNote.respondent_key == key, PulseNote.pulse_date == day)
    )


def scores_since(session: Session, *, keys: Iterable[str], since: date) -> dict[date, int]:
    """The person's own 1–5 answers by pulse date from ``since`` on (their weekly keys)."""
    rows = session.execute(
        select(PulseAnswer.pulse_date, PulseAnswer.score).where(
            PulseAnswer.respondent_key.in_(list(keys)), PulseAnswer.pulse_date >= since
        )
    ).all()
    return {k: v for k, v in rows}


_SENT_DAYS = (
    select(PulseSend.pulse_date)
    .where(
        PulseSend.person_id == bindparam("person_id"),
        PulseSend.pulse_date <= bindparam("as_of"),
        PulseSend.status.in_(("sent", "claimed", "closed")),
    )
    .order_by(PulseSend.pulse_date.desc())
    .limit(400)
)


def streak_for(
    session: Session,
    *,
    secret: str,
    team_id: str,
    user_id: str,
    person_id: int,
    as_of: date,
    allow_open_today: bool = False,
) -> int:
    """Consecutive answered pulse days ending at ``as_of``.

    Pulse days are the days the person was actually sent a pulse, so weekends,
    holidays, pauses and skipped days don't break a streak. With ``allow_open_today`` an
    unanswered pulse on ``as_of`` itself is skipped (it can still be answered).
    Answers are found under the person's weekly keys, a handful of HMACs per month.
    """
    days = list(session.scalars(_SENT_DAYS, {"person_id": person_id, "as_of": as_of}))
    if not days:
        return 0
    keys = week_keys(secret, team_id, user_id, since=days[-1], until=as_of)
    answered = set(scores_since(session, keys=keys, since=days[-1]))
    # Skip flags live only while a pulse can be answered: the newest days are enough.
    skipped = skipped_days(
        session, secret=secret, slack_team_id=team_id, slack_user_id=user_id, days=days[:SKIP_DAYS]
    )
    streak = 0
    for i, day in enumerate(days):
        if day in answered:
            streak += 1
        elif (i == 0 and allow_open_today and day == as_of) or day in skipped:
            continue
        else:
            break
    return streak


def skip_day(
    session: Session, *, secret: str, team_id: str, user_id: str, send: PulseSend, now: datetime
) -> str:
    """Mark ``send``'s day skipped: "skipped", or why not ("answered", "closed").

    Nothing is recorded under the person's key, nor on their send row: the skip is a
    keyed trace (``bot.pulse.anonymity``), so a dump cannot tell it from an answered day. No
    reminder goes, the streak steps over the day, and when the window closes the send
    goes altogether, so participation does not count the day.
    """
    if not is_open(send, now):
        return "closed"
    key = respondent_key(secret, team_id, user_id, day=send.pulse_date)
    answered = session.scalar(
        select(PulseAnswer.id).where(
            PulseAnswer.respondent_key == key, PulseAnswer.pulse_date == send.pulse_date
        )
    )
    if answered is not None:
        return "answered"
    trace = send_flag_trace(secret, team_id, user_id, day=send.pulse_date, kind=SKIPPED)
    add_flags(session, workspace_id=send.workspace_id, rows={trace: send.pulse_date})
    return SKIPPED


class ClickRefused(Exception):
    """A click that records nothing: ``reason`` is "unknown", "not_yours" or "closed"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Built once: a tap runs this, and building the statement costs more than running it.
_CLICK_SEND = (
    select(PulseSend, Person.slack_user_id, Workspace.slack_team_id)
    .join(Person, Person.id == PulseSend.person_id)
    .join(Workspace, Workspace.id == PulseSend.workspace_id)
    .where(PulseSend.id == bindparam("send_id"))
)


def find_click_send(session: Session, *, team_id: str, user_id: str, send_id: str) -> PulseSend:
    """The send a button names, if it is this user's in this workspace; else ClickRefused."""
    if not send_id.isdigit():
        raise ClickRefused("unknown")
    row = session.execute(_CLICK_SEND, {"send_id": int(send_id)}).first()
    if row is None:
        raise ClickRefused("unknown")
    send, owner, owner_team = row
    if owner != user_id or owner_team != team_id:
        raise ClickRefused("not_yours")
    return send


def note_for_modal(
    session: Session, *, secret: str, team_id: str, user_id: str, send: PulseSend
) -> str | None:
    """The person's own note for ``send``'s day, to prefill the note modal."""
    key = respondent_key(secret, team_id, user_id, day=send.pulse_date)
    return own_note(session, key=key, day=send.pulse_date)
