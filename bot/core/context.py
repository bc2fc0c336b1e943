"""The request context: who asks, from which workspace, and what is in force there.

One Bolt middleware (:class:`RequestContextMiddleware`, added with ``app.use``) puts a
:class:`RequestContext` in every request's Bolt context as ``context["cx"]``; listeners take
it by the parameter name ``cx``. Every value is looked up on first use and kept for the rest
of the request, so a listener that only acks costs no database round trip.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin.store import can_administer
from bot.core.disclosure import effective_threshold
from bot.core.i18n import ENGLISH, Translator, translator
from bot.core.once import answer_with_errors
from bot.workspace.clients import person_for_request
from bot.workspace.config import WorkspaceConfig, effective_config
from bot.workspace.roles import can_celebrate, is_lead
from bot.workspace.store import ensure_workspace, find_person, language_of
from models import Person, Team, Workspace

if TYPE_CHECKING:
    from bot.core.features import HomeRequest
    from bot.runtime import Runtime

logger = logging.getLogger(__name__)

CONTEXT_KEY = "cx"


def threshold_for(session: Session, runtime: Runtime, team_id: str) -> int:
    """The anonymity threshold in force in a workspace (what every promise must say)."""
    ws = session.scalar(select(Workspace).where(Workspace.slack_team_id == team_id))
    config = effective_config(session, settings=runtime.settings, workspace=ws)
    return effective_threshold(config.anonymity_threshold)


def _team_in(body: dict[str, Any]) -> str:
    """The workspace named in a payload, for the few where Bolt leaves ``team_id`` empty."""
    team = (body.get("team") or {}).get("id") or body.get("team_id")
    return str(team or (body.get("user") or {}).get("team_id") or "")


def _user_in(body: dict[str, Any]) -> str:
    user = body.get("user")
    if isinstance(user, dict):
        return str(user.get("id") or "")
    return str(user or body.get("user_id") or (body.get("event") or {}).get("user") or "")


class RequestContext:
    """Who sent one request and what is in force for them; each value read once, lazily."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        team_id: str,
        user_id: str,
        client: Callable[[], WebClient],
        bolt: BoltContext | None = None,
    ) -> None:
        """``client``: the request's Web API client (Bolt's, authorized), read when needed;
        ``bolt``: the request's Bolt context (None outside a Slack request)."""
        self.runtime = runtime
        self._bolt = bolt
        self.team_id = team_id
        self.user_id = user_id
        self._client = client

    @property
    def client(self) -> WebClient:
        """The request's authorized Web API client."""
        return self._client()

    @property
    def workspace_id(self) -> int:
        """The workspace's row id; the row is made the first time a workspace is seen."""
        if "workspace_id" not in self.__dict__:
            with self.runtime.transaction() as session:
                self.workspace(session)
        return int(self.__dict__["workspace_id"])

    def workspace(self, session: Session) -> Workspace:
        """The workspace's row in ``session`` (made there the first time it is seen), for
        services that take a ``Workspace``."""
        known = self.__dict__.get("workspace_id")
        ws = session.get(Workspace, known) if known is not None else None
        if ws is None:
            ws = ensure_workspace(session, slack_team_id=self.team_id)
            self.__dict__["workspace_id"] = ws.id
        return ws

    @cached_property
    def config(self) -> WorkspaceConfig:
        """The settings in force here: the admin's stored choices over the environment's."""
        with self.runtime.sessions() as session:
            ws = session.scalar(select(Workspace).where(Workspace.slack_team_id == self.team_id))
            return effective_config(session, settings=self.runtime.settings, workspace=ws)

    def config_changed(self) -> None:
        """Forget what was read of the settings (this request just changed them)."""
        for name in ("config", "threshold", "is_lead", "can_celebrate", "is_admin"):
            self.__dict__.pop(name, None)
        self.runtime.display.forget(("threshold", self.team_id))

    @cached_property
    def threshold(self) -> int:
        """The anonymity threshold in force here, as replies name it (kept briefly: see
        bot/core/display.py; the disclosure gate reads its own)."""
        return self.runtime.display.get(
            ("threshold", self.team_id),
            lambda: effective_threshold(self.config.anonymity_threshold),
        )

    @cached_property
    def person(self) -> Person | None:
        """The person who sent the request, if synced (detached: read its columns only)."""
        with self.runtime.sessions() as session:
            return find_person(session, slack_team_id=self.team_id, slack_user_id=self.user_id)

    def person_found_in(self, session: Session) -> Person | None:
        """The sender's row in ``session``, if synced."""
        return find_person(session, slack_team_id=self.team_id, slack_user_id=self.user_id)

    def team(self, session: Session) -> Team | None:
        """The sender's team in ``session`` (None: not synced, or in no team)."""
        person = self.person
        return session.get(Team, person.team_id) if person and person.team_id else None

    def person_in(self, session: Session) -> Person:
        """The sender's row in ``session``; a newcomer is fetched from Slack and added."""
        return person_for_request(session, self.client, team_id=self.team_id, user_id=self.user_id)

    @cached_property
    def translator(self) -> Translator:
        """The sender's language (English when unknown or unreadable: the reply still goes);
        kept briefly, see bot/core/display.py."""
        try:
            language = self.runtime.display.get(
                ("language", self.team_id, self.user_id), self._language
            )
        except Exception:
            logger.exception("reading a person's language failed")
            return ENGLISH
        return translator(language) if language is not None else ENGLISH

    def _language(self) -> str | None:
        person = self.person
        return language_of(person) if person is not None else None

    def language_changed(self) -> None:
        """Forget the sender's language (this request just changed it)."""
        self.__dict__.pop("translator", None)
        self.runtime.display.forget(("language", self.team_id, self.user_id))

    @cached_property
    def is_lead(self) -> bool:
        """A named lead here (directly or through a user group)."""
        leads = self.config.leads
        return bool(leads) and is_lead(self.client, self.team_id, leads, self.user_id)

    @cached_property
    def can_celebrate(self) -> bool:
        """May celebrate: a named lead, or anyone when the leads are "everyone"."""
        return can_celebrate(self.client, self.team_id, self.config.leads, self.user_id)

    @cached_property
    def is_admin(self) -> bool:
        """May change the workspace's settings: a Slack admin or owner, or CXPULSE_ADMINS."""
        return can_administer(
            self.client, team_id=self.team_id, user_id=self.user_id, config=self.config
        )

    def keep_open(self, ack: Ack, errors: dict[str, str]) -> None:
        """Answer a view submission with inline ``errors`` (the modal stays open; the
        submission may be sent again once fixed)."""
        if self._bolt is None:
            raise TypeError("only a Slack request can be answered")
        answer_with_errors(ack, self._bolt, errors)


class RequestContextMiddleware(Middleware):
    """Puts a lazy :class:`RequestContext` in every request's Bolt context."""

    def __init__(self, runtime: Runtime) -> None:
        """``runtime``: the app's shared dependencies."""
        self.runtime = runtime

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """Add the context (nothing is looked up yet), then go on."""
        context = req.context
        context[CONTEXT_KEY] = RequestContext(
            self.runtime,
            team_id=context.team_id or _team_in(req.body),
            user_id=context.user_id or _user_in(req.body),
            client=lambda: context.client,
            bolt=context,
        )
        return next()


def request_context(context: BoltContext) -> RequestContext:
    """The request's context, as the middleware left it."""
    cx = context[CONTEXT_KEY]
    if not isinstance(cx, RequestContext):
        raise TypeError("RequestContextMiddleware is not installed")
    return cx


def respond_privately(respond: Respond, text: str, **fields: Any) -> None:
    """Answer only the person who clicked, leaving the message they clicked on as it is."""
    respond(response_type="ephemeral", replace_original=False, text=text, **fields)


def context_for(runtime: Runtime, *, team_id: str, user_id: str) -> RequestContext:
    """A context for work done for one person outside a Slack request (App Home sections,
    published off the request thread), with the workspace's own client."""
    return RequestContext(
        runtime, team_id=team_id, user_id=user_id, client=lambda: runtime.clients.for_team(team_id)
    )


Blocks = list[dict[str, Any]]
LeadSection = Callable[[Session, RequestContext], Blocks]


def leads_section(section: LeadSection) -> Callable[[Session, Runtime, HomeRequest], Blocks]:
    """An App Home section only named leads see (nothing for anyone else); ``section`` gets
    the viewer's context."""

    def shown_to_leads(session: Session, runtime: Runtime, request: HomeRequest) -> Blocks:
        cx = context_for(runtime, team_id=request.team_id, user_id=request.user_id)
        return section(session, cx) if cx.is_lead else []

    return shown_to_leads
