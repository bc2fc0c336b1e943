"""Pulse sends: claiming each send in the database first, then recording what happened
(sent, failed for good, or retry later).

The claim is a row in ``pulse_send`` (unique per person and local pulse date),
inserted before anything is sent. Whoever inserts it owns it; everyone else's
INSERT hits the unique constraint and does nothing. A claim left ``claimed``
(a crash, a timeout) goes stale and a later run takes it over, after checking
Slack for the message it may already have posted. Who is due is in ``schedule.py``.
"""

from __future__ import annotations

import random
from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, and_, bindparam, select, update
from sqlalchemy.orm import Session

from bot.core.leader import claim_batch
from bot.core.weeks import week_start
from bot.pulse.anonymity import asked_trace
from bot.pulse.questions import MONTHLY, choose_question
from bot.pulse.schedule import DEFAULT_CATCH_UP, DuePulse
from bot.workspace.config import WorkspaceConfig
from bot.workspace.store import language_of
from models import Person, PulseMonthlyAsked, PulseSend, Workspace
from models.upsert import dialect_insert

CLAIM_STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 5
_CLAIM_BATCH = 500


@dataclass(frozen=True)
class Claim:
    """A send this worker owns and must deliver."""

    send_id: int
    person_id: int
    slack_user_id: str
    dm_channel_id: str | None
    question_key: str | None
    # True when taken over from a stale claim: the message may already be in Slack.
    resumed: bool = False
    # The anonymity threshold the DM promises (the workspace's, set before sending).
    threshold: int = 5
    # The language the DM is written in (bot/core/i18n.py).
    language: str = "en"


def asked_this_month(
    session: Session, *, secret: str, workspace: Workspace, due: Sequence[DuePulse]
) -> dict[int, set[str]]:
    """Monthly question keys (eNPS, experience gap) each due person already got that month.

    Looked up by keyed traces (``pulse_monthly_asked``), never stored per person.
    """
    if not due:
        return {}
    wanted: dict[str, tuple[int, str]] = {}
    for d in due:
        for key in MONTHLY:
            trace = asked_trace(
                secret, workspace.slack_team_id, d.slack_user_id, day=d.pulse_date, question=key
            )
            wanted[trace] = (d.person_id, key)
    asked: dict[int, set[str]] = {}
    traces = list(wanted)
    for start in range(0, len(traces), _CLAIM_BATCH):
        for trace in session.scalars(
            select(PulseMonthlyAsked.trace).where(
                PulseMonthlyAsked.trace.in_(traces[start : start + _CLAIM_BATCH])
            )
        ):
            person_id, key = wanted[trace]
            asked.setdefault(person_id, set()).add(key)
    return asked


def _trace_monthly(
    session: Session, *, secret: str, workspace: Workspace, asked: list[tuple[DuePulse, str]]
) -> None:
    """Record that these people got a monthly question (a keyed trace, no person)."""
    if not asked:
        return
    rows = [
        {
            "trace": asked_trace(
                secret, workspace.slack_team_id, d.slack_user_id, day=d.pulse_date, question=key
            ),
            "workspace_id": workspace.id,
            "month": d.pulse_date.replace(day=1),
        }
        for d, key in asked
    ]
    random.shuffle(rows)  # insertion order would follow the order people were asked
    session.execute(
        dialect_insert(session, PulseMonthlyAsked.__table__).on_conflict_do_nothing(
            index_elements=["trace"]
        ),
        rows,
    )


def claim_pulses(
    session: Session,
    *,
    workspace: Workspace,
    config: WorkspaceConfig,
    due: Sequence[DuePulse],
    leads: Container[str],
    now: datetime,
    worker: str,
    secret: str,
) -> list[Claim]:
    """Insert claim rows for ``due``; return only the ones this call won.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING``: a row another worker (or an
    earlier run) already holds is silently skipped. The second question is
    chosen here and stored on the claim.
    """
    asked = asked_this_month(session, secret=secret, workspace=workspace, due=due)
    by_person = {d.person_id: d for d in due}
    claims: list[Claim] = []
    for start in range(0, len(due), _CLAIM_BATCH):
        rows = []
        for d in due[start : start + _CLAIM_BATCH]:
            question = choose_question(
                day=d.pulse_date,
                is_lead=d.slack_user_id in leads,
                asked_this_month=asked.get(d.person_id, ()),
                second_question_enabled=config.second_question_enabled,
                enps_enabled=config.enps_enabled,
            )
            rows.append(
                {
                    "workspace_id": workspace.id,
                    "person_id": d.person_id,
                    "team_id": d.team_id,
                    "pulse_date": d.pulse_date,
                    "week_start": week_start(d.pulse_date),
                    "scheduled_for": d.scheduled_for,
                    "status": "claimed",
                    "claimed_by": worker,
                    "claimed_at": now,
                    "attempts": 1,
                    "question_key": question,
                }
            )
        # Executemany with RETURNING (SQLAlchemy's "insertmanyvalues"): one statement
        # shape, compiled once, however many people are due.
        sends = PulseSend.__table__.c
        stmt = (
            dialect_insert(session, PulseSend.__table__)
            .on_conflict_do_nothing(index_elements=["person_id", "pulse_date"])
            .returning(sends.id, sends.person_id, sends.question_key)
        )
        won = session.execute(stmt, rows).all()
        _trace_monthly(
            session,
            secret=secret,
            workspace=workspace,
            asked=[(by_person[p], q) for _, p, q in won if q in MONTHLY],
        )
        dm_of = _dm_channels(session, [person_id for _, person_id, _ in won])
        for send_id, person_id, question_key in won:
            claims.append(
                Claim(
                    send_id,
                    person_id,
                    by_person[person_id].slack_user_id,
                    dm_of.get(person_id),
                    question_key,
                    language=by_person[person_id].language,
                )
            )
    return claims


def _dm_channels(session: Session, person_ids: list[int]) -> dict[int, str | None]:
    if not person_ids:
        return {}
    rows = session.execute(
        select(Person.id, Person.dm_channel_id).where(Person.id.in_(person_ids))
    ).all()
    return {k: v for k, v in rows}


def take_over_stale(
    session: Session,
    *,
    workspace: Workspace,
    now: datetime,
    worker: str,
    stale_after: timedelta = CLAIM_STALE_AFTER,
    catch_up: timedelta = DEFAULT_CATCH_UP,
) -> list[Claim]:
    """Take over claims nobody finished (crash, timeout, transient error).

    One conditional UPDATE per batch: a row another worker took over first no
    longer matches ``claimed_at <= cutoff`` and is left alone. Claims past the
    catch-up window or out of attempts are closed instead (``skipped``/``failed``).
    Batches are picked with ``claim_batch`` (``FOR UPDATE SKIP LOCKED`` on PostgreSQL),
    so several workers taking over at once share the rows instead of queueing.
    """
    cutoff = now - stale_after
    stale = and_(
        PulseSend.workspace_id == workspace.id,
        PulseSend.status == "claimed",
        PulseSend.claimed_at <= cutoff,
    )
    # Almost every run finds nothing stale: look before writing, so such a run takes no
    # write lock (SQLite) and leaves no dead rows (PostgreSQL).
    if session.scalar(select(PulseSend.id).where(stale).limit(1)) is None:
        return []
    session.execute(
        update(PulseSend)
        .where(stale, PulseSend.scheduled_for < now - catch_up)
        .values(status="skipped", error="missed")
    )
    session.execute(
        update(PulseSend)
        .where(stale, PulseSend.attempts >= MAX_ATTEMPTS)
        .values(status="failed", error="gave_up")
    )
    claims: list[Claim] = []
    while True:
        # FOR UPDATE SKIP LOCKED on PostgreSQL: rows another worker is taking over right
        # now are skipped, not waited for; each batch, once updated, is no longer stale.
        chunk = claim_batch(
            session, select(PulseSend.id).where(stale).order_by(PulseSend.id), limit=_CLAIM_BATCH
        )
        if not chunk:
            break
        won = session.execute(
            update(PulseSend)
            .where(stale, PulseSend.id.in_(chunk))
            .values(claimed_by=worker, claimed_at=now, attempts=PulseSend.attempts + 1)
            .returning(PulseSend.id, PulseSend.person_id, PulseSend.question_key)
        ).all()
        if not won:
            break
        people = {
            p.id: p
            for p in session.scalars(select(Person).where(Person.id.in_([r[1] for r in won])))
        }
        for send_id, person_id, question_key in won:
            person = people[person_id]
            claims.append(
                Claim(
                    send_id,
                    person_id,
                    person.slack_user_id,
                    person.dm_channel_id,
                    question_key,
                    resumed=True,
                    language=language_of(person),
                )
            )
    return claims


@dataclass(frozen=True)
class SendOutcome:
    """What happened to one claim: sent (with the message), or failed and why."""

    send_id: int
    person_id: int
    channel_id: str | None = None
    message_ts: str | None = None
    error: str | None = None
    permanent: bool = False

    @property
    def sent(self) -> bool:
        """True when the message is in Slack."""
        return self.message_ts is not None


def _table(model: type[PulseSend] | type[Person]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def record_outcomes(
    session: Session,
    *,
    outcomes: Sequence[SendOutcome],
    now: datetime,
    stale_after: timedelta = CLAIM_STALE_AFTER,
) -> None:
    """Store delivery results: sent, failed for good (person unreachable), or released.

    A transient failure leaves the row ``claimed`` but backdates it, so the next
    run takes it over at once (and checks Slack before posting again).
    """
    sent = [o for o in outcomes if o.sent]
    if sent:
        # One executemany per table for the common case (a run may send thousands).
        sends, people = _table(PulseSend), _table(Person)
        session.execute(
            update(sends)
            .where(sends.c.id == bindparam("b_send"))
            .values(
                status="sent",
                sent_at=now,
                channel_id=bindparam("b_channel"),
                message_ts=bindparam("b_ts"),
                error=None,
            ),
            [{"b_send": o.send_id, "b_channel": o.channel_id, "b_ts": o.message_ts} for o in sent],
        )
        session.execute(
            update(people)
            .where(
                people.c.id == bindparam("b_person"),
                people.c.dm_channel_id.is_distinct_from(bindparam("b_channel")),
            )
            .values(dm_channel_id=bindparam("b_channel")),
            [{"b_person": o.person_id, "b_channel": o.channel_id} for o in sent],
        )
    for outcome in outcomes:
        if outcome.sent:
            continue
        if outcome.permanent:
            session.execute(
                update(PulseSend)
                .where(PulseSend.id == outcome.send_id)
                .values(status="failed", error=(outcome.error or "")[:64])
            )
            session.execute(
                update(Person)
                .where(Person.id == outcome.person_id)
                .values(dm_error=(outcome.error or "unreachable")[:64], dm_error_at=now)
            )
        else:
            session.execute(
                update(PulseSend)
                .where(PulseSend.id == outcome.send_id, PulseSend.status == "claimed")
                .values(error=(outcome.error or "")[:64], claimed_at=now - stale_after)
            )


SENT = ("sent", "closed")
