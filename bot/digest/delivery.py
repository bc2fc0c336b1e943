"""The Slack side of one digest: claimed once, into the channel (joining it if public), chart
and all.

The claim is an INSERT under a unique key (workspace, channel, week), committed before
anything is posted: a second run, or a second instance, fails the insert and skips the
channel. A claim left behind by a crash (no progress for ``STALE_AFTER``) or a failed send
(fewer than ``MAX_ATTEMPTS``) may be taken over, by one claimer only.

Each step is recorded when done. A claim taken over looks in the channel before posting
or uploading again, by the message's metadata and the chart's file name, so a digest
Slack already has is never posted twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.i18n import DEFAULT_LANGUAGE, translator
from bot.core.posting import (
    Mark,
    Posted,
    call_with_patience,
    conversation_id,
    post_once,
    upload_once,
)
from bot.core.weeks import iso_week_label
from bot.digest.chart import chart_alt_text, chart_title, render_chart
from bot.digest.store import DigestData, DigestQuestions
from bot.digest.views import build_digest_blocks, digest_text, scope_name
from bot.runtime import Runtime
from models import DigestSend

logger = logging.getLogger(__name__)

DIGEST_EVENT = "cxpulse_digest"
INVITE_EVENT = "cxpulse_digest_invite"
# Slack's answers to conversations.join for a channel the bot must be invited to.
NEEDS_INVITE = frozenset(
    {"method_not_supported_for_channel_type", "is_private", "channel_not_found"}
)


class NotInvited(Exception):
    """The bot is not in the digest channel and cannot join it by itself (private)."""

    def __init__(self, channel: str) -> None:
        """Remember which channel, as the admin will read it."""
        super().__init__(channel)
        self.channel = channel


@dataclass(frozen=True)
class DigestTarget:
    """Where one claimed digest goes and what it is."""

    send_id: int
    channel: str  # as configured: an id, or a name like #cx-digest
    week: date
    team_id: int | None
    resumed: bool  # taken over: Slack may already have the message or the chart
    channel_id: str | None = None
    message_ts: str | None = None
    language: str = DEFAULT_LANGUAGE  # the channel's (bot/workspace/config.py)


def invite_text(channel: str) -> str:
    """What an admin is told when the bot cannot join the digest channel."""
    return (
        f"I couldn't post this week's CX Pulse digest in {channel}: I'm not in it and can't "
        f"join by myself (private channels need an invitation). Please type "
        f"`/invite @CX Pulse` in {channel}; I'll post the digest on my next run."
    )


def _join(client: WebClient, channel: str) -> str:
    """Join the public ``channel``; NotInvited when the bot has to be invited."""
    channel_id = conversation_id(client, channel)
    if channel_id is None:
        raise NotInvited(channel)
    try:
        call_with_patience(lambda: client.conversations_join(channel=channel_id))
    except SlackApiError as exc:
        if exc.response.get("error") in NEEDS_INVITE:
            raise NotInvited(f"<#{channel_id}>") from exc
        raise
    return channel_id


def _post(
    client: WebClient, target: DigestTarget, data: DigestData, questions: DigestQuestions
) -> Posted:
    mark = Mark(DIGEST_EVENT, {"digest_send": target.send_id})
    t = translator(target.language)
    message: dict[str, Any] = {
        "text": digest_text(data, t),
        "blocks": build_digest_blocks(data, questions=questions, t=t),
        "unfurl_links": False,
        "unfurl_media": False,
    }
    try:
        return post_once(
            client, channel=target.channel, mark=mark, look_first=target.resumed, **message
        )
    except SlackApiError as exc:
        if exc.response.get("error") not in ("not_in_channel", "channel_not_found"):
            raise
    return post_once(client, channel=_join(client, target.channel), mark=mark, **message)


def deliver_digest(
    runtime: Runtime,
    client: WebClient,
    *,
    target: DigestTarget,
    data: DigestData,
    questions: DigestQuestions,
) -> None:
    """Post the digest message, then upload its chart; each step is recorded when done."""
    channel_id = target.channel_id
    if target.message_ts is None:
        posted = _post(client, target, data, questions)
        # Slack answers with the channel's id even when we named it (#cx-digest).
        channel_id = posted.channel
        with runtime.transaction() as session:
            record_progress(
                session,
                send_id=target.send_id,
                status="posted",
                channel_id=channel_id,
                message_ts=posted.ts,
            )
    assert channel_id is not None
    label = iso_week_label(target.week)
    suffix = f"-team{target.team_id}" if target.team_id else ""
    t = translator(target.language)
    scope = scope_name(data.scope, t)
    lag, metric = data.lag, data.metric
    caption = chart_title(scope, metric=data.metric, lag=data.lag, t=t)
    file_id = upload_once(
        client,
        channel=channel_id,
        filename=f"cxpulse-{label}{suffix}.png",
        look_first=target.resumed,
        file=render_chart(data.series, scope=scope, lag=lag, metric=metric, t=t),
        # The filename keeps the ISO week (an identifier); people read the week's Monday.
        title=t.gettext(
            "%(chart)s, week of %(day)s", chart=caption, day=t.day_of_month(target.week)
        ),
        alt_txt=chart_alt_text(
            data.series,
            scope=scope,
            threshold=data.threshold,
            besides_you=data.viewer_in_group,
            lag=lag,
            metric=metric,
            t=t,
        ),
        initial_comment=caption,
    )
    with runtime.transaction() as session:
        record_progress(
            session,
            send_id=target.send_id,
            status="sent",
            file_id=file_id,
            sent_at=runtime.now(),
            error=None,
        )


def tell_admins(client: WebClient, *, admins: tuple[str, ...], send_id: int, channel: str) -> int:
    """DM each admin how to invite the bot, once per digest send; returns how many were told."""
    told = 0
    for admin in admins:
        try:
            post_once(
                client,
                channel=admin,
                mark=Mark(INVITE_EVENT, {"digest_send": send_id}),
                look_first=True,
                text=invite_text(channel),
            )
            told += 1
        except Exception:
            logger.warning("could not tell an admin about digest send %s", send_id, exc_info=True)
    return told


STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3
NOT_INVITED = "not_in_channel"


def claim_key(channel: str, team: str | None) -> str:
    """What a send is unique on besides the week: the channel, and the team if any."""
    key = channel.strip().lstrip("#")
    return f"{key}|{team}" if team else key


def claim_digest(
    sessions: sessionmaker[Session],
    *,
    workspace_id: int,
    key: str,
    week: date,
    team_id: int | None,
    claimed_by: str,
    now: datetime,
) -> DigestSend | None:
    """The claimed send for this channel and week, or None when someone else has it."""
    try:
        with sessions.begin() as session:
            row = DigestSend(
                workspace_id=workspace_id,
                channel=key,
                week_start=week,
                team_id=team_id,
                claimed_by=claimed_by,
                claimed_at=now,
                attempts=1,
            )
            session.add(row)
        return row
    except IntegrityError:
        pass
    with sessions.begin() as session:
        found = session.scalar(
            select(DigestSend).where(
                DigestSend.workspace_id == workspace_id,
                DigestSend.channel == key,
                DigestSend.week_start == week,
            )
        )
        if found is None or not _can_take_over(found, now):
            return None
        row = found
        taken = session.execute(
            update(DigestSend)
            .where(
                DigestSend.id == row.id,
                DigestSend.status == row.status,
                DigestSend.claimed_at == row.claimed_at,
            )
            .values(claimed_by=claimed_by, claimed_at=now, attempts=row.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        session.refresh(row)
        return row


def _can_take_over(row: DigestSend, now: datetime) -> bool:
    # Waiting to be invited into a private channel is not a failing send: it goes out
    # whenever the invitation comes that week, however many runs it waited.
    out_of_attempts = row.attempts >= MAX_ATTEMPTS and row.error != NOT_INVITED
    if row.status == "sent" or out_of_attempts:
        return False
    return row.status == "failed" or row.claimed_at <= now - STALE_AFTER


def record_progress(session: Session, *, send_id: int, **changes: object) -> None:
    """Store what was done so far (message posted, chart uploaded, sent, failed)."""
    session.execute(
        update(DigestSend)
        .where(DigestSend.id == send_id)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
