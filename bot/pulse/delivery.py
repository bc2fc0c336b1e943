"""Sending claimed pulses to Slack: a small thread pool, safe to crash and to run twice;
and claiming reminders (one at most per pulse, same local working day, only when unanswered).

Order for each person: claim (database) → post (Slack, with message metadata
carrying the send id) → mark sent (database, in batches). A crash between
post and mark leaves a ``claimed`` row; the run that takes it over looks for
the metadata in the DM's recent history before posting again.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.disclosure import effective_threshold
from bot.core.i18n import translator
from bot.core.posting import Mark, Posted, call_with_patience, find_posted, post_once
from bot.pulse.anonymity import REMINDED, SKIPPED, add_flags, flagged, respondent_key, traces
from bot.pulse.questions import question
from bot.pulse.schedule import DEFAULT_CATCH_UP, due_pulses, plan_for, preferences, reminder_due
from bot.pulse.store import (
    CLAIM_STALE_AFTER,
    Claim,
    SendOutcome,
    claim_pulses,
    record_outcomes,
    take_over_stale,
)
from bot.pulse.views import build_pulse_blocks, pulse_text
from bot.runtime import Runtime
from bot.workspace.config import WorkspaceConfig, effective_config
from bot.workspace.roles import resolve_leads
from bot.workspace.store import ensure_workspace, language_of
from models import Person, PulseAnswer, PulseSend, Workspace

logger = logging.getLogger(__name__)

PULSE_EVENT = "cxpulse_pulse"
FLUSH_EVERY = 200
FLUSH_SECONDS = 0.5
# Errors that will not go away by trying again: the person is marked unreachable.
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "user_not_found",
        "users_not_found",
        "cannot_dm_bot",
        "channel_not_found",
        "user_disabled",
        "is_archived",
        "not_in_channel",
        "restricted_action",
        "user_is_restricted",
        "messages_tab_disabled",
    }
)


@dataclass
class FanOutReport:
    """Counts for one workspace's run of the pulses job."""

    due: int = 0
    claimed: int = 0
    resumed: int = 0
    sent: int = 0
    found_already_sent: int = 0
    failed: int = 0
    retry_later: int = 0
    errors: dict[str, int] = field(default_factory=dict)


def _slack_error(exc: SlackApiError) -> str:
    return str(exc.response.get("error") or "slack_error")


def pulse_mark(send_id: int) -> Mark:
    """The metadata a pulse DM carries, so a lost answer can be checked in the DM's history."""
    return Mark(PULSE_EVENT, {"send_id": send_id})


def find_posted_pulse(client: WebClient, *, channel: str, send_id: int) -> str | None:
    """The ts of the pulse for ``send_id`` if it is already in the DM (by its metadata)."""
    found = find_posted(client, channel=channel, mark=pulse_mark(send_id))
    return found.ts if found else None


def _open_dm(client: WebClient, user_id: str) -> str:
    answer = call_with_patience(lambda: client.conversations_open(users=user_id))
    return str(answer["channel"]["id"])


def _post(client: WebClient, channel: str, claim: Claim) -> Posted:
    t = translator(claim.language)
    return post_once(
        client,
        channel=channel,
        mark=pulse_mark(claim.send_id),
        text=pulse_text(t),
        blocks=build_pulse_blocks(
            send_id=claim.send_id,
            question=question(claim.question_key),
            threshold=claim.threshold,
            t=t,
        ),
        unfurl_links=False,
    )


def _deliver(client: WebClient, claim: Claim) -> SendOutcome:
    channel = claim.dm_channel_id or _open_dm(client, claim.slack_user_id)
    if claim.resumed:
        ts = find_posted_pulse(client, channel=channel, send_id=claim.send_id)
        if ts is not None:
            return SendOutcome(claim.send_id, claim.person_id, channel, ts, error="already_sent")
    try:
        answer = _post(client, channel, claim)
    except SlackApiError as exc:
        if not (claim.dm_channel_id and _slack_error(exc) == "channel_not_found"):
            raise
        # The cached DM id went stale: open the DM again once.
        channel = _open_dm(client, claim.slack_user_id)
        answer = _post(client, channel, claim)
    return SendOutcome(claim.send_id, claim.person_id, answer.channel, answer.ts)


def deliver_one(client: WebClient, claim: Claim) -> SendOutcome:
    """Post one claimed pulse; failures become outcomes (permanent or retry later)."""
    try:
        return _deliver(client, claim)
    except SlackApiError as exc:
        error = _slack_error(exc)
        return SendOutcome(
            claim.send_id, claim.person_id, error=error, permanent=error in PERMANENT_ERRORS
        )
    except Exception as exc:
        # A timeout or dropped connection: Slack may or may not have posted. The claim is
        # released and the next run checks the DM's history before posting again.
        logger.warning("pulse %s: %s, will retry", claim.send_id, type(exc).__name__)
        return SendOutcome(claim.send_id, claim.person_id, error=type(exc).__name__[:64])


def worker_name() -> str:
    """Who holds a claim: host and process, for operators reading ``pulse_send``."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def claim_due(
    runtime: Runtime,
    client: WebClient,
    *,
    team_id: str,
    team_name: str,
    now: datetime,
    stale_after: timedelta = CLAIM_STALE_AFTER,
    catch_up: timedelta = DEFAULT_CATCH_UP,
) -> tuple[list[Claim], int]:
    """Take over stale claims and claim every due pulse; returns (claims, number due)."""
    with runtime.transaction() as session:
        workspace = ensure_workspace(session, slack_team_id=team_id, name=team_name)
        config = effective_config(session, settings=runtime.settings, workspace=workspace)
    leads = resolve_leads(client, team_id, config.leads)
    worker = worker_name()
    with runtime.transaction() as session:
        workspace = ensure_workspace(session, slack_team_id=team_id)
        resumed = take_over_stale(
            session,
            workspace=workspace,
            now=now,
            worker=worker,
            stale_after=stale_after,
            catch_up=catch_up,
        )
        due = due_pulses(session, workspace=workspace, config=config, now=now, catch_up=catch_up)
        fresh = claim_pulses(
            session,
            workspace=workspace,
            config=config,
            due=due,
            leads=leads,
            now=now,
            worker=worker,
            secret=runtime.settings.cxpulse_secret or "",
        )
    limit = effective_threshold(config.anonymity_threshold)
    return [replace(c, threshold=limit) for c in resumed + fresh], len(due)


def send_due_pulses(
    runtime: Runtime,
    client: WebClient,
    *,
    team_id: str,
    team_name: str = "",
    now: datetime,
    stale_after: timedelta = CLAIM_STALE_AFTER,
    catch_up: timedelta = DEFAULT_CATCH_UP,
) -> FanOutReport:
    """Claim, send and mark every pulse due in one workspace at ``now``."""
    claims, due = claim_due(
        runtime,
        client,
        team_id=team_id,
        team_name=team_name,
        now=now,
        stale_after=stale_after,
        catch_up=catch_up,
    )
    report = FanOutReport(due=due, claimed=len(claims), resumed=sum(c.resumed for c in claims))
    buffer: list[SendOutcome] = []

    def flush() -> None:
        if not buffer:
            return
        with runtime.transaction() as session:
            record_outcomes(session, outcomes=buffer, now=now, stale_after=stale_after)
        sent_before, failed_before = report.sent, report.failed + report.retry_later
        for outcome in buffer:
            if outcome.sent:
                report.sent += outcome.error is None
                report.found_already_sent += outcome.error == "already_sent"
            else:
                report.failed += outcome.permanent
                report.retry_later += not outcome.permanent
                report.errors[outcome.error or "?"] = report.errors.get(outcome.error or "?", 0) + 1
        runtime.metrics.pulses_sent.inc(report.sent - sent_before)
        runtime.metrics.pulses_failed.inc(report.failed + report.retry_later - failed_before)
        buffer.clear()

    futures = [runtime.senders.submit(deliver_one, client, claim) for claim in claims]
    try:
        flushed_at = time.monotonic()
        for future in as_completed(futures):
            buffer.append(future.result())
            if len(buffer) >= FLUSH_EVERY or time.monotonic() - flushed_at > FLUSH_SECONDS:
                flush()
                flushed_at = time.monotonic()
        flush()
    finally:
        # On a crash, don't wait for the queue: unfinished claims go stale and are resumed.
        for future in futures:
            future.cancel()
    return report


DEFAULT_REMINDER_AFTER = timedelta(hours=4)


@dataclass(frozen=True)
class ReminderClaim:
    """A reminder this run owns: where the pulse DM is."""

    send_id: int
    channel_id: str
    message_ts: str | None
    language: str = "en"  # the person's (bot/core/i18n.py)


def claim_reminders(
    session: Session,
    *,
    secret: str,
    workspace: Workspace,
    config: WorkspaceConfig,
    now: datetime,
    after: timedelta = DEFAULT_REMINDER_AFTER,
) -> list[ReminderClaim]:
    """Claim the reminders due at ``now``: at most one each, only when still unanswered.

    Whether the person answered is checked under their own respondent key, whether they
    skipped or were reminded already under keyed traces (``bot.pulse.anonymity``); none of
    it is written beside the person. Storing the "reminded" trace is the claim.
    """
    rows = session.execute(
        select(PulseSend, Person)
        .join(Person, Person.id == PulseSend.person_id)
        .where(
            PulseSend.workspace_id == workspace.id,
            PulseSend.status == "sent",
            PulseSend.channel_id.is_not(None),
            PulseSend.scheduled_for.is_not(None),
            PulseSend.scheduled_for <= now - after,
            PulseSend.scheduled_for > now - timedelta(days=2),
            Person.active.is_(True),
        )
    ).all()
    candidates = list(rows)
    prefs = preferences(session, person_ids=[p.id for _, p in candidates])
    due: dict[tuple[str, date], tuple[PulseSend, str]] = {}
    language = {person.id: language_of(person) for _, person in candidates}
    for send, person in candidates:
        plan = plan_for(person, prefs.get(person.id), config)
        if reminder_due(plan, send.pulse_date, now, after=after):
            key = respondent_key(
                secret, workspace.slack_team_id, person.slack_user_id, day=send.pulse_date
            )
            due[(key, send.pulse_date)] = (send, person.slack_user_id)
    if not due:
        return []
    answered = set(
        session.execute(
            select(PulseAnswer.respondent_key, PulseAnswer.pulse_date).where(
                PulseAnswer.respondent_key.in_({key for key, _ in due}),
                PulseAnswer.pulse_date.in_({day for _, day in due}),
            )
        )
    )
    unanswered = {
        send.id: (user, send.pulse_date)
        for pair, (send, user) in due.items()
        if pair not in answered
    }
    skips = traces(secret, workspace.slack_team_id, unanswered, kind=SKIPPED)
    for trace in flagged(session, skips):
        del unanswered[skips[trace]]
    reminded = traces(secret, workspace.slack_team_id, unanswered, kind=REMINDED)
    if not reminded:
        return []
    # A reminder another run claimed first is already stored: this INSERT skips it.
    won = add_flags(
        session,
        workspace_id=workspace.id,
        rows={trace: unanswered[send_id][1] for trace, send_id in reminded.items()},
    )
    sends = {send.id: send for send, _ in due.values()}
    return [
        ReminderClaim(
            send_id,
            channel,
            sends[send_id].message_ts,
            language.get(sends[send_id].person_id, "en"),
        )
        for trace, send_id in reminded.items()
        if trace in won and (channel := sends[send_id].channel_id)
    ]
