""" "Ask the customer to tell it": make or revoke a one-time story link (only for the asker)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, Respond

from bot.core.context import RequestContext, respond_privately
from bot.core.i18n import DEFAULT_LANGUAGE, N_
from bot.stories.language import with_language
from bot.stories.links import AskRefusal, StoryLink, ask_for_story, revoke_story_links
from bot.stories.views import build_link_blocks, read_moment_value
from bot.stories.web import story_url
from bot.workspace.store import language_of

logger = logging.getLogger(__name__)

# msgids: translated for the person who clicked.
NOTHING_TO_REVOKE = N_("There was no open link to revoke.")
SORRY = N_("Sorry, something went wrong on our side and no link was made. Please try again.")


def _moment_id(body: dict[str, Any]) -> int | None:
    return read_moment_value(str((body.get("actions") or [{}])[0].get("value", "")))


def handle_ask(ack: Ack, body: dict[str, Any], respond: Respond, cx: RequestContext) -> None:
    """Make a link for the moment on the clicked button and show it to the clicker alone."""
    ack()
    runtime = cx.runtime
    moment_id, secret = _moment_id(body), runtime.settings.cxpulse_secret
    result: StoryLink | AskRefusal = AskRefusal.UNKNOWN_MOMENT
    language = DEFAULT_LANGUAGE
    try:
        with runtime.transaction() as session:
            workspace, person = cx.workspace(session), cx.person_found_in(session)
            if person is not None:
                language = language_of(person)
            if moment_id is not None and secret and person is not None:
                result = ask_for_story(
                    session,
                    workspace=workspace,
                    person=person,
                    moment_id=moment_id,
                    secret=secret,
                    now=runtime.now(),
                )
            elif person is None:
                result = AskRefusal.NOT_YOURS
    except Exception:
        logger.exception("making a story link failed")
        respond_privately(respond, cx.translator.gettext(SORRY))
        return
    t = cx.translator
    if isinstance(result, AskRefusal):
        respond_privately(respond, t.gettext(result.value))
        return
    # The page opens in the asker's language when it is not English (they are likely to
    # write to the customer in it); otherwise the customer's browser chooses.
    url = with_language(story_url(runtime.settings.public_url, result.token), language)
    respond_privately(
        respond,
        t.gettext("A one-time link for the customer to tell this moment in their own words."),
        blocks=build_link_blocks(
            url=url,
            expires_at=result.expires_at,
            moment_id=result.moment_id,
            public=runtime.settings.public_url is not None,
            t=t,
        ),
    )


def handle_revoke(ack: Ack, body: dict[str, Any], respond: Respond, cx: RequestContext) -> None:
    """Stop the moment's unused links; the message with the link is replaced."""
    ack()
    moment_id = _moment_id(body)
    outcome: int | AskRefusal = AskRefusal.UNKNOWN_MOMENT
    with cx.runtime.transaction() as session:
        workspace, person = cx.workspace(session), cx.person_found_in(session)
        if moment_id is not None and person is not None:
            outcome = revoke_story_links(
                session,
                workspace=workspace,
                person=person,
                moment_id=moment_id,
                now=cx.runtime.now(),
            )
    t = cx.translator
    if isinstance(outcome, AskRefusal):
        respond_privately(respond, t.gettext(outcome.value))
        return
    if outcome:
        text = t.gettext("🔒 Link revoked: it no longer opens.")
    else:
        text = t.gettext(NOTHING_TO_REVOKE)
    respond(replace_original=True, text=text)
