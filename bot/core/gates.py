"""Who may use a listener: ``leads_only`` and ``admins_only``.

Each builds Bolt listener middleware (``app.action(..., middleware=[...])``) that is also a
``/cx`` word gate (``CommandRouter.add(..., gate=...)``): it reads the request context and
answers everyone it turns away the way that listener always has (an ephemeral message, an
inline modal error, a pushed view, or nothing).

A refusal's text is a msgid (marked ``N_``): it is translated when shown, into the language
of the person turned away.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient

from bot.core.context import RequestContext, request_context
from bot.core.i18n import Translator
from bot.core.once import answer_with_errors


@dataclass(frozen=True)
class Refused:
    """A request a gate turned away, with what is needed to answer it."""

    body: dict[str, Any]
    ack: Ack
    respond: Respond
    client: WebClient
    context: BoltContext

    @property
    def translator(self) -> Translator:
        """The language of the person turned away."""
        return request_context(self.context).translator

    def gettext(self, message: str) -> str:
        """``message`` (a msgid) in the language of the person turned away."""
        return self.translator.gettext(message)


# How a gate answers someone it turns away; it acks (the response Slack gets, if any).
Refusal = Callable[[Refused], BoltResponse | None]


def ephemeral(message: str) -> Refusal:
    """Ack, then tell only the person ``message`` in their language (a clicked message stays
    as it is)."""

    def refuse(refused: Refused) -> BoltResponse | None:
        answer = refused.ack()
        text = refused.gettext(message)
        if refused.body.get("type") == "block_actions":  # the clicked message stays
            refused.respond(response_type="ephemeral", replace_original=False, text=text)
        else:
            refused.respond(response_type="ephemeral", text=text)
        return answer

    return refuse


def modal_error(block_id: str, message: str) -> Refusal:
    """Keep the modal open with ``message``, in the person's language, under ``block_id``
    (Slack shows 150 characters)."""

    def refuse(refused: Refused) -> BoltResponse | None:
        text = refused.gettext(message)[:150]
        return answer_with_errors(refused.ack, refused.context, {block_id: text})

    return refuse


def push_view(view: Callable[[Translator], dict[str, Any]]) -> Refusal:
    """Ack, then push ``view(t)`` on the open modal, ``t`` the person's language."""

    def refuse(refused: Refused) -> BoltResponse | None:
        answer = refused.ack()
        pushed = view(refused.translator)
        refused.client.views_push(trigger_id=refused.body["trigger_id"], view=pushed)
        return answer

    return refuse


def silently(refused: Refused) -> BoltResponse | None:
    """Ack and do nothing (a button only allowed people ever see)."""
    return refused.ack()


class Gate(Middleware):
    """Bolt listener middleware (``middleware=[...]``) and ``/cx`` word gate: lets a request
    through when ``allows(cx)``; answers anyone else with ``refuse``."""

    def __init__(self, allows: Callable[[RequestContext], bool], refuse: Refusal) -> None:
        """``allows``: who gets through; ``refuse``: the answer everyone else gets."""
        self.allows = allows
        self.refuse = refuse

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        """The listener runs only for those allowed; the others get the refusal's ack."""
        context = req.context
        if self.allows(request_context(context)):
            return next()
        ack, respond = context.ack, context.respond
        if ack is None or respond is None or context.client is None:
            raise TypeError("a gate guards listeners of requests that can be answered")
        return self.refuse(Refused(req.body, ack, respond, context.client, context))


def leads_only(refuse: Refusal) -> Gate:
    """Only named leads get through."""
    return Gate(lambda cx: cx.is_lead, refuse)


def admins_only(refuse: Refusal) -> Gate:
    """Only those who may change the workspace's settings get through."""
    return Gate(lambda cx: cx.is_admin, refuse)


def celebrants_only(refuse: Refusal) -> Gate:
    """Only those who may celebrate in public get through (leads, or everyone if none named)."""
    return Gate(lambda cx: cx.can_celebrate, refuse)
