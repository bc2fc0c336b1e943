"""The Slack side of celebrating: who may, who can be celebrated, and posting it once.

Handlers call these after acking; the services underneath know nothing of Slack.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError

from bot.celebrations.store import (
    ParsedCelebration,
    claim_celebration,
    discard_celebration,
    linked_moment,
    record_post,
)
from bot.celebrations.views import (
    build_celebrated_dm,
    build_celebration_post,
    channel_link,
    person_problem,
)
from bot.core.i18n import ENGLISH, N_, Translator, translator
from bot.core.posting import Mark, Posted, conversation_id, post_once, uncertain
from bot.core.text import escape
from bot.runtime import Runtime
from bot.workspace.config import WorkspaceConfig, effective_config
from bot.workspace.roles import resolve_leads
from bot.workspace.store import ensure_workspace, find_person, translator_for

logger = logging.getLogger(__name__)

CELEBRATION_EVENT = "cxpulse_celebration"
CELEBRATED_EVENT = "cxpulse_celebrated"
REACTION = "tada"
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]+")

# Translated for the lead who reads it.
NO_CHANNEL = N_(
    "There's no celebrations channel set up yet, so I can't post this. An admin can set "
    "one (`CXPULSE_CELEBRATIONS_CHANNEL`, or `/cx admin`); nothing was posted."
)


def invite_me(channel: str, t: Translator = ENGLISH) -> str:
    """What to tell a lead when the bot cannot post in a (private) channel."""
    return t.gettext(
        "I'm not in %(channel)s and can't join it by myself (private channels need an "
        "invitation). Please type `/invite @CX Pulse` in %(channel)s, then celebrate again. "
        "Nothing was posted.",
        channel=channel,
    )


def unconfirmed(channel: str, t: Translator = ENGLISH) -> str:
    """What a lead is told when Slack never confirmed the post (it may be there)."""
    shown = channel_link(channel) if _CHANNEL_ID.fullmatch(channel) else escape(channel)
    return t.gettext(
        "Slack didn't confirm the post in %(channel)s; it may be there already. Please look "
        "before celebrating again.",
        channel=shown,
    )


@dataclass(frozen=True)
class Outcome:
    """What happened to a celebration: posted, already done (a retry), or why not."""

    status: Literal["posted", "duplicate", "problem"]
    message: str = ""
    channel_id: str | None = None
    message_ts: str | None = None


class _PostProblem(Exception):
    """The channel refused the post in a way the lead can fix."""


def workspace_config(runtime: Runtime, team_id: str) -> WorkspaceConfig:
    """The settings in force for the workspace ``team_id``."""
    with runtime.transaction() as session:
        workspace = ensure_workspace(session, slack_team_id=team_id)
        return effective_config(session, settings=runtime.settings, workspace=workspace)


def leads_to_ask(
    client: WebClient, runtime: Runtime, team_id: str, leads: Sequence[str], user_id: str
) -> list[str]:
    """Leads to pass a suggestion to, best first: those in the suggester's team, then the rest."""
    members = sorted(resolve_leads(client, team_id, leads).members)
    candidates = [m for m in members if m != user_id]
    with runtime.transaction() as session:
        me = find_person(session, slack_team_id=team_id, slack_user_id=user_id)
        my_team = me.team_id if me else None
        same_team = {
            lead_id
            for lead_id in candidates
            if my_team is not None
            and (lead := find_person(session, slack_team_id=team_id, slack_user_id=lead_id))
            and lead.team_id == my_team
        }
    return sorted(candidates, key=lambda lead_id: lead_id not in same_team)


def people_problem(
    client: WebClient, people: Sequence[str], *, plain: bool = False, t: Translator = ENGLISH
) -> str | None:
    """Why one of ``people`` cannot be celebrated (unknown, a bot, deactivated), or None, in
    ``t``'s language.

    ``plain`` names people by name instead of a mention (modal errors are plain text).
    """
    for user_id in people:
        try:
            user: dict[str, Any] | None = client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") not in ("user_not_found", "users_not_found"):
                raise
            user = None
        problem = person_problem(user_id, user, plain=plain, t=t)
        if problem:
            return problem
    return None


def _group_members(client: WebClient, groups: Sequence[str]) -> list[str]:
    members: list[str] = []
    for group_id in groups:
        try:
            members += client.usergroups_users_list(usergroup=group_id).get("users", [])
        except SlackApiError as exc:
            logger.warning("could not list user group %s: %s", group_id, exc)
    return members


def _post(
    client: WebClient,
    channel: str,
    text: str,
    blocks: list[dict[str, Any]],
    *,
    mark: Mark,
    t: Translator,
) -> Posted:
    """Post in ``channel`` once, joining it first if it is public and the bot is not in it."""
    shown = (
        channel_link(channel)
        if _CHANNEL_ID.fullmatch(channel)
        else escape("#" + channel.removeprefix("#"))
    )
    try:
        return post_once(client, channel=channel, mark=mark, text=text, blocks=blocks)
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "channel_not_found":
            raise _PostProblem(
                t.gettext(
                    "I can't find the celebrations channel %(channel)s. If it's private, type "
                    "`/invite @CX Pulse` there; otherwise ask an admin to check the setting. "
                    "Nothing was posted.",
                    channel=shown,
                )
            ) from exc
        if error == "is_archived":
            raise _PostProblem(
                t.gettext("%(channel)s is archived; nothing was posted.", channel=shown)
            ) from exc
        if error != "not_in_channel":
            raise
    channel_id = conversation_id(client, channel)
    if channel_id is None:
        raise _PostProblem(invite_me(shown, t))
    try:
        client.conversations_join(channel=channel_id)
    except SlackApiError as exc:
        if exc.response.get("error") in ("method_not_supported_for_channel_type", "is_private"):
            raise _PostProblem(invite_me(channel_link(channel_id), t)) from exc
        raise
    return post_once(client, channel=channel_id, mark=mark, text=text, blocks=blocks)


def send_dm(
    client: WebClient,
    user_id: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    *,
    mark: Mark | None = None,
) -> bool:
    """DM ``user_id`` (False, logged, when Slack refuses: a bot, a deactivated account).

    With a ``mark`` the DM is posted once however its answer fails (see ``post_once``).
    """
    try:
        dm = client.conversations_open(users=user_id)["channel"]["id"]
        if mark is None:
            client.chat_postMessage(channel=dm, text=text, blocks=blocks)
        else:
            post_once(client, channel=dm, mark=mark, text=text, blocks=blocks)
    except Exception as exc:
        refused = isinstance(exc, SlackApiError) and not uncertain(exc)
        # Unconfirmed after post_once looked in the DM: logged, not repeated. Unmarked: raised.
        if not (refused or (mark is not None and uncertain(exc))):
            raise
        logger.warning("could not DM %s: %s", user_id, exc)
        return False
    return True


def publish_celebration(
    client: WebClient,
    runtime: Runtime,
    *,
    team_id: str,
    celebrated_by: str,
    parsed: ParsedCelebration,
    request_key: str,
    moment_id: int | None = None,
    t: Translator = ENGLISH,
) -> Outcome:
    """Post a celebration once per ``request_key``: channel post, 🎉, a DM per person.

    The outcome's message is for the lead who celebrated, in their language ``t``.
    """
    config = workspace_config(runtime, team_id)
    if not config.celebrations_channel:
        return Outcome("problem", t.gettext(NO_CHANNEL))
    problem = people_problem(client, parsed.people, t=t)
    if problem:
        return Outcome("problem", problem)
    recipients = list(dict.fromkeys([*parsed.people, *_group_members(client, parsed.groups)]))
    try:
        with runtime.transaction() as session:
            moment = (
                linked_moment(session, slack_team_id=team_id, moment_id=moment_id)
                if moment_id is not None
                else None
            )
            claimed = claim_celebration(
                session,
                slack_team_id=team_id,
                celebrated_by=celebrated_by,
                recipients=recipients,
                parsed=parsed,
                request_key=request_key,
                now=runtime.now(),
                timezone=config.timezone,
                moment_id=moment.id if moment else None,
            )
            celebration_id = claimed.id if claimed else None
    except IntegrityError:
        celebration_id = None  # a concurrent delivery of the same request won the claim
    if celebration_id is None:
        return Outcome("duplicate")
    # The channel reads the workspace's language; each DM its recipient's own.
    text, blocks = build_celebration_post(
        parsed, celebrated_by=celebrated_by, moment=moment, t=translator(config.language)
    )
    mark = Mark(CELEBRATION_EVENT, {"celebration": celebration_id})
    try:
        posted = _post(client, config.celebrations_channel, text, blocks, mark=mark, t=t)
    except Exception as exc:
        if uncertain(exc):
            # Slack may have posted it: keeping the claim means it is never posted twice.
            logger.warning("celebration %s unconfirmed", celebration_id)
            return Outcome("problem", unconfirmed(config.celebrations_channel, t))
        with runtime.transaction() as session:
            discard_celebration(session, celebration_id=celebration_id)
        if isinstance(exc, _PostProblem):
            return Outcome("problem", str(exc))
        raise
    channel_id, ts = posted.channel, posted.ts
    with runtime.transaction() as session:
        record_post(session, celebration_id=celebration_id, channel_id=channel_id, message_ts=ts)
    try:
        client.reactions_add(channel=channel_id, timestamp=ts, name=REACTION)
    except SlackApiError as exc:
        logger.warning("could not add the %s reaction: %s", REACTION, exc)
    celebrated = Mark(CELEBRATED_EVENT, {"celebration": celebration_id})
    for user_id in recipients:
        with runtime.sessions() as session:
            theirs = translator_for(session, slack_team_id=team_id, slack_user_id=user_id)
        dm_text, dm_blocks = build_celebrated_dm(
            parsed, celebrated_by=celebrated_by, channel_id=channel_id, t=theirs
        )
        send_dm(client, user_id, dm_text, dm_blocks, mark=celebrated)
    posted_in = t.gettext("🎉 Posted in %(channel)s.", channel=channel_link(channel_id))
    return Outcome("posted", posted_in, channel_id, ts)
