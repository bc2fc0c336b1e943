"""Customer moments: validate and log them, attributed to the person and their team; and
their follow-ups (on its due date a moment's logger is reminded to close the loop, once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from bot.core.i18n import ENGLISH, N_, Translator
from bot.core.weeks import week_start
from bot.customers.store import NAME_MAX, ensure_customer, get_customer, name_key
from bot.moments.sentiment_languages import read_story
from models import Customer, CustomerMoment, Person, Workspace

TOUCHPOINTS = ("support", "sales", "onboarding", "success", "billing", "other")
OUTCOMES = ("win", "neutral", "problem")
SOURCES = ("command", "shortcut", "home")
TEXT_MAX = 3000
MAX_DAYS_BACK = 90
PERMALINK_MAX = 500


@dataclass(frozen=True)
class MomentDraft:
    """What the person entered, as raw values: nothing is trusted yet."""

    customer_id: str | None = None
    new_customer_name: str = ""
    touchpoint: str | None = None
    outcome: str | None = None
    happened_on: str | None = None
    what_happened: str = ""
    backstory: str = ""
    csat: str | None = None
    followup_on: str | None = None
    would_tell_story: bool = False
    source: str = "command"
    source_permalink: str | None = None


@dataclass(frozen=True)
class LogResult:
    """The saved moment, or the errors by field name (and nothing saved)."""

    moment: CustomerMoment | None
    errors: dict[str, str]


def local_today(tz: str, now: datetime) -> date:
    """The calendar date at ``now`` in time zone ``tz`` (UTC if the zone is unknown)."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


def _parse_date(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _as_id(raw: str | None) -> int | None:
    """A database id from a form value, or None when it cannot be one."""
    if raw and raw.isascii() and raw.isdigit() and int(raw) < 2**31:
        return int(raw)
    return None


def _check_text(errors: dict[str, str], field: str, label: str, text: str, t: Translator) -> None:
    if len(text) > TEXT_MAX:
        errors[field] = t.gettext(
            "%(field)s: keep it under %(max)s characters (this is %(length)s).",
            field=t.gettext(label),
            max=t.number(TEXT_MAX),
            length=t.number(len(text)),
        )


def _check_customer(
    session: Session,
    workspace: Workspace,
    draft: MomentDraft,
    errors: dict[str, str],
    t: Translator,
) -> None:
    typed = draft.new_customer_name.strip()
    if len(typed) > NAME_MAX:
        errors["new_customer"] = t.gettext(
            "Customer name: at most %(max)s characters.", max=t.number(NAME_MAX)
        )
        return
    if not draft.customer_id:
        if not name_key(typed):
            errors["new_customer"] = t.gettext(
                "Customer: pick one from the list or type a new name."
            )
        return
    chosen_id = _as_id(draft.customer_id)
    chosen = (
        get_customer(session, workspace=workspace, customer_id=chosen_id)
        if chosen_id is not None
        else None
    )
    if chosen is None:
        errors["customer"] = t.gettext("Customer: that customer is not known here; pick another.")
    elif typed and name_key(typed) != chosen.name_key:
        errors["new_customer"] = t.gettext(
            "Customer: pick one from the list or type a new name, not both."
        )


def validate_draft(
    session: Session,
    *,
    workspace: Workspace,
    draft: MomentDraft,
    today: date,
    t: Translator = ENGLISH,
) -> dict[str, str]:
    """Every problem with ``draft``, by field name, each message naming its field (in ``t``)."""
    errors: dict[str, str] = {}
    _check_customer(session, workspace, draft, errors, t)
    if draft.touchpoint not in TOUCHPOINTS:
        errors["touchpoint"] = t.gettext("Touchpoint: choose where you met the customer.")
    if draft.outcome not in OUTCOMES:
        errors["outcome"] = t.gettext("Outcome: choose win, neutral or problem.")
    happened = _parse_date(draft.happened_on)
    earliest = today - timedelta(days=MAX_DAYS_BACK)
    if happened is None:
        errors["happened_on"] = t.gettext("When: pick the date it happened.")
    elif happened > today:
        errors["happened_on"] = t.gettext("When: that date is in the future.")
    elif happened < earliest:
        errors["happened_on"] = t.gettext(
            "When: at most %(days)s days back (%(earliest)s or later).",
            days=MAX_DAYS_BACK,
            earliest=earliest.isoformat(),
        )
    if not draft.what_happened.strip():
        errors["what_happened"] = t.gettext("What happened: tell the story in a sentence or two.")
    _check_text(errors, "what_happened", N_("What happened"), draft.what_happened, t)
    _check_text(errors, "backstory", N_("Backstory"), draft.backstory, t)
    if draft.csat not in (None, ""):
        raw = str(draft.csat).strip()
        if not (raw.isdigit() and 1 <= int(raw) <= 5):
            errors["csat"] = t.gettext("CSAT: a whole number from 1 to 5, or leave it empty.")
    followup = _parse_date(draft.followup_on)
    if draft.followup_on and followup is None:
        errors["followup_on"] = t.gettext("Follow-up date: pick a date from the calendar.")
    elif followup is not None and followup < today:
        errors["followup_on"] = t.gettext(
            "Follow-up date: that date has passed; pick today or later."
        )
    return errors


def log_moment(
    session: Session,
    *,
    workspace: Workspace,
    person: Person,
    draft: MomentDraft,
    now: datetime,
    t: Translator = ENGLISH,
) -> LogResult:
    """Validate ``draft`` and store it as ``person``'s moment; nothing is stored on errors
    (the errors are worded in ``t``, the language of the person who filled the form)."""
    today = local_today(person.tz, now)
    errors = validate_draft(session, workspace=workspace, draft=draft, today=today, t=t)
    if errors:
        return LogResult(moment=None, errors=errors)
    chosen_id = _as_id(draft.customer_id)
    if chosen_id is not None:
        customer = get_customer(session, workspace=workspace, customer_id=chosen_id)
    else:
        customer = ensure_customer(
            session, workspace=workspace, name=draft.new_customer_name, now=now
        )
    assert customer is not None  # validated above
    happened = date.fromisoformat(str(draft.happened_on))
    what = draft.what_happened
    reading = read_story(what)
    permalink = draft.source_permalink
    moment = CustomerMoment(
        workspace_id=workspace.id,
        customer_id=customer.id,
        person_id=person.id,
        team_id=person.team_id,
        happened_on=happened,
        week_start=week_start(happened),
        touchpoint=str(draft.touchpoint),
        outcome=str(draft.outcome),
        what_happened=what,
        backstory=draft.backstory,
        csat=int(str(draft.csat).strip()) if draft.csat not in (None, "") else None,
        sentiment=reading.sentiment,
        story_language=reading.language,
        would_tell_story=draft.would_tell_story,
        source=draft.source if draft.source in SOURCES else "command",
        source_permalink=permalink if permalink and len(permalink) <= PERMALINK_MAX else None,
        followup_on=_parse_date(draft.followup_on),
        created_at=now,
    )
    session.add(moment)
    session.flush()
    return LogResult(moment=moment, errors={})


def moments_by(session: Session, *, person: Person, limit: int = 5) -> list[CustomerMoment]:
    """``person``'s latest moments (with their customers), newest first."""
    return list(
        session.scalars(
            select(CustomerMoment)
            .options(joinedload(CustomerMoment.customer))
            .where(CustomerMoment.person_id == person.id)
            .order_by(CustomerMoment.created_at.desc(), CustomerMoment.id.desc())
            .limit(limit)
        )
    )


class OutcomeChange(Enum):
    """What asking to change a moment's outcome did."""

    CHANGED = "changed"
    NOT_YOURS = "not_yours"
    UNKNOWN = "unknown"


def change_outcome(
    session: Session, *, workspace: Workspace, moment_id: int, slack_user_id: str, outcome: str
) -> tuple[OutcomeChange, CustomerMoment | None]:
    """Set a moment's outcome; only the person who logged it may."""
    moment = session.get(CustomerMoment, moment_id)
    if moment is None or moment.workspace_id != workspace.id or outcome not in OUTCOMES:
        return OutcomeChange.UNKNOWN, None
    author = session.get(Person, moment.person_id) if moment.person_id is not None else None
    if author is None or author.slack_user_id != slack_user_id:
        return OutcomeChange.NOT_YOURS, None
    moment.outcome = outcome
    session.flush()
    return OutcomeChange.CHANGED, moment


# The reminder goes out from this local hour on the due date (the job runs hourly).
FOLLOWUP_LOCAL_TIME = time(9, 0)


@dataclass(frozen=True)
class DueFollowup:
    """A follow-up whose time has come, and what the reminder needs to say."""

    moment_id: int
    slack_user_id: str
    customer_name: str
    what_happened: str
    happened_on: date
    followup_on: date


class DoneResult(Enum):
    """What marking a follow-up done did."""

    DONE = "done"
    ALREADY = "already"
    NOT_YOURS = "not_yours"
    UNKNOWN = "unknown"


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_due(followup_on: date, tz: str, now: datetime) -> bool:
    """True once it is the due date (from 09:00) or later in the logger's time zone."""
    local = now.astimezone(_zone(tz))
    return (local.date(), local.time()) >= (followup_on, FOLLOWUP_LOCAL_TIME)


def due_followups(session: Session, *, workspace: Workspace, now: datetime) -> list[DueFollowup]:
    """Unsent, not-done follow-ups of active people in ``workspace`` that are due at ``now``."""
    # No time zone is more than a day ahead of UTC: later dates cannot be due yet.
    horizon = now.date() + timedelta(days=1)
    rows = session.execute(
        select(CustomerMoment, Person.slack_user_id, Person.tz, Customer.name)
        .join(Person, Person.id == CustomerMoment.person_id)
        .join(Customer, Customer.id == CustomerMoment.customer_id)
        .where(
            CustomerMoment.workspace_id == workspace.id,
            CustomerMoment.followup_on.is_not(None),
            CustomerMoment.followup_on <= horizon,
            CustomerMoment.followup_sent_at.is_(None),
            CustomerMoment.followup_done_at.is_(None),
            Person.active.is_(True),
        )
        .order_by(CustomerMoment.followup_on, CustomerMoment.id)
    ).all()
    return [
        DueFollowup(
            moment_id=m.id,
            slack_user_id=user_id,
            customer_name=customer_name,
            what_happened=m.what_happened,
            happened_on=m.happened_on,
            followup_on=m.followup_on,
        )
        for m, user_id, tz, customer_name in rows
        if m.followup_on is not None and is_due(m.followup_on, tz, now)
    ]


def claim_followup(session: Session, *, moment_id: int, now: datetime) -> bool:
    """Mark the follow-up sent before sending; False if another run got there first."""
    result = session.execute(
        update(CustomerMoment)
        .where(
            CustomerMoment.id == moment_id,
            CustomerMoment.followup_sent_at.is_(None),
            CustomerMoment.followup_done_at.is_(None),
        )
        .values(followup_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def release_followup(session: Session, *, moment_id: int) -> None:
    """Undo a claim whose DM could not be sent, so the next run tries again."""
    session.execute(
        update(CustomerMoment)
        .where(CustomerMoment.id == moment_id)
        .values(followup_sent_at=None)
        .execution_options(synchronize_session=False)
    )


def mark_followup_done(
    session: Session, *, workspace: Workspace, moment_id: int, slack_user_id: str, now: datetime
) -> DoneResult:
    """Close the loop on a follow-up; only the person who logged the moment may."""
    moment = session.get(CustomerMoment, moment_id)
    if moment is None or moment.workspace_id != workspace.id or moment.followup_on is None:
        return DoneResult.UNKNOWN
    logger_id = (
        session.scalar(select(Person.slack_user_id).where(Person.id == moment.person_id))
        if moment.person_id is not None
        else None
    )
    if logger_id != slack_user_id:
        return DoneResult.NOT_YOURS
    if moment.followup_done_at is not None:
        return DoneResult.ALREADY
    moment.followup_done_at = now
    session.flush()
    return DoneResult.DONE
