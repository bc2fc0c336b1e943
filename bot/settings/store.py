"""A person's own pulse settings: pause, resume, pulse time, working days, opt out, forget me."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from bot.core.i18n import ENGLISH, SUPPORTED, Translator
from bot.insights.rollup import invalidate_weeks
from bot.pulse.anonymity import (
    asked_trace,
    drop_flags,
    month_starts,
    monthly_key,
    person_flags,
    week_keys,
)
from bot.pulse.questions import MONTHLY
from bot.pulse.schedule import format_working_days
from models import (
    Person,
    PulseAnswer,
    PulseExtraAnswer,
    PulseMonthlyAsked,
    PulseNote,
    PulsePreference,
    PulseSend,
)

MAX_PAUSE_DAYS = 90


def preference_of(session: Session, *, person: Person) -> PulsePreference:
    """The person's preference row, created (empty: workspace defaults) on first use."""
    pref = session.get(PulsePreference, person.id)
    if pref is None:
        pref = PulsePreference(person_id=person.id, opted_out=False)
        session.add(pref)
        session.flush()
    return pref


def parse_pause_days(text: str, t: Translator = ENGLISH) -> int | str:
    """The number of days in ``/cx pause DAYS``, or a message saying what is wrong."""
    raw = text.strip().lower().removesuffix("days").removesuffix("day").strip()
    usage = t.gettext(
        "Say how many days to pause, from 1 to %(max)s: `/cx pause 5`.", max=MAX_PAUSE_DAYS
    )
    if not raw:
        return usage
    if not raw.isdigit():
        return t.gettext("“%(raw)s” isn't a number of days. %(usage)s", raw=raw[:20], usage=usage)
    days = int(raw)
    if not 1 <= days <= MAX_PAUSE_DAYS:
        return t.gettext(
            "You can pause for 1 to %(max)s days. %(usage)s", max=MAX_PAUSE_DAYS, usage=usage
        )
    return days


def pause(session: Session, *, person: Person, days: int, today: date, now: datetime) -> date:
    """Pause pulses from ``today`` for ``days`` days; returns the last paused day."""
    if not 1 <= days <= MAX_PAUSE_DAYS:
        raise ValueError(f"days must be 1..{MAX_PAUSE_DAYS}")
    pref = preference_of(session, person=person)
    pref.paused_until = today + timedelta(days=days - 1)
    pref.updated_at = now
    return pref.paused_until


def resume(session: Session, *, person: Person, now: datetime) -> bool:
    """End a pause and let failed DMs be tried again; True when something changed."""
    pref = session.get(PulsePreference, person.id)
    changed = person.dm_error is not None
    person.dm_error = None
    person.dm_error_at = None
    if pref is not None and (pref.paused_until is not None or pref.opted_out):
        pref.paused_until = None
        pref.opted_out = False
        pref.updated_at = now
        changed = True
    return changed


@dataclass(frozen=True)
class SettingsForm:
    """What the settings modal submitted, already parsed."""

    pulse_time: time | None
    working_days: frozenset[int]
    opted_out: bool
    # A supported language code, or None to follow Slack's locale.
    language: str | None = None


def settings_errors(form: SettingsForm, t: Translator = ENGLISH) -> dict[str, str]:
    """Problems by field name ("pulse_time", "working_days"); empty when the form is fine."""
    errors: dict[str, str] = {}
    if form.pulse_time is None:
        errors["pulse_time"] = t.gettext("Pick the time you'd like your pulse.")
    if not form.working_days and not form.opted_out:
        errors["working_days"] = t.gettext(
            "Pick at least one day, or tick “Opt out” to stop pulses."
        )
    if form.language is not None and form.language not in SUPPORTED:
        errors["language"] = t.gettext("Pick one of the languages in the list.")
    return errors


def save_settings(session: Session, *, person: Person, form: SettingsForm, now: datetime) -> None:
    """Store the person's pulse time, working days and opt-out (check ``settings_errors``)."""
    if settings_errors(form):
        raise ValueError("invalid settings")
    pref = preference_of(session, person=person)
    pref.pulse_time = form.pulse_time
    if form.working_days:
        pref.working_days = format_working_days(form.working_days)
    pref.opted_out = form.opted_out
    pref.updated_at = now
    person.language = form.language
    if not form.opted_out:
        person.dm_error = None
        person.dm_error_at = None


@dataclass(frozen=True)
class ForgetReport:
    """How many rows of each kind forget-me deleted."""

    answers: int
    notes: int
    extra_answers: int
    traces: int
    sends: int

    @property
    def total(self) -> int:
        """Every row deleted."""
        return self.answers + self.notes + self.extra_answers + self.traces + self.sends


def _delete(session: Session, model: Any, condition: ColumnElement[bool]) -> int:
    count = session.scalar(select(func.count()).select_from(model).where(condition)) or 0
    session.execute(delete(model).where(condition))
    return int(count)


def person_keys(
    session: Session, *, secret: str, team_id: str, person: Person, today: date
) -> tuple[list[str], list[str], list[str]]:
    """Every weekly and monthly key and monthly trace the person can have had."""
    earliest = min(
        (
            d
            for d in (
                session.scalar(
                    select(func.min(m.pulse_date)).where(m.workspace_id == person.workspace_id)
                )
                for m in (PulseAnswer, PulseNote, PulseExtraAnswer)
            )
            if d is not None
        ),
        default=today,
    )
    since, until = min(earliest, today) - timedelta(days=7), today + timedelta(days=7)
    user = person.slack_user_id
    weekly = list(week_keys(secret, team_id, user, since=since, until=until))
    months = list(month_starts(since, until))
    monthly = [monthly_key(secret, team_id, user, day=m) for m in months]
    traces = [
        asked_trace(secret, team_id, user, day=m, question=q) for m in months for q in MONTHLY
    ]
    return weekly, monthly, traces


def forget_person(
    session: Session, *, secret: str, team_id: str, person: Person, today: date, now: datetime
) -> ForgetReport:
    """Delete the person's answers, notes, second answers, key traces, sends and their flags.

    Their pulse settings stay: someone who paused or opted out and then asked to be
    forgotten must not start getting pulses again. No pulse is sent on ``today``.
    """
    weekly, monthly, traces = person_keys(
        session, secret=secret, team_id=team_id, person=person, today=today
    )
    keys = weekly + monthly
    weeks = set(
        session.scalars(
            select(PulseAnswer.week_start).where(PulseAnswer.respondent_key.in_(weekly))
        )
    )
    weeks |= set(
        session.scalars(select(PulseSend.week_start).where(PulseSend.person_id == person.id))
    )
    invalidate_weeks(session, workspace_id=person.workspace_id, weeks=weeks)
    send_days = session.scalars(
        select(PulseSend.pulse_date).where(PulseSend.person_id == person.id)
    )
    drop_flags(session, person_flags(secret, team_id, person.slack_user_id, send_days))
    report = ForgetReport(
        answers=_delete(session, PulseAnswer, PulseAnswer.respondent_key.in_(weekly)),
        notes=_delete(session, PulseNote, PulseNote.respondent_key.in_(weekly)),
        extra_answers=_delete(session, PulseExtraAnswer, PulseExtraAnswer.respondent_key.in_(keys)),
        traces=_delete(session, PulseMonthlyAsked, PulseMonthlyAsked.trace.in_(traces)),
        sends=_delete(session, PulseSend, PulseSend.person_id == person.id),
    )
    pref = preference_of(session, person=person)
    pref.forgotten_on = today
    pref.updated_at = now
    session.flush()
    session.expire_all()
    return report
