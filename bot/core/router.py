"""The `/cx` slash command: features add words, one listener dispatches (unknown: help)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.core.context import RequestContext
from bot.core.gates import Gate, Refused
from bot.core.help import build_help_blocks, help_text
from bot.core.i18n import ENGLISH, N_, Translator
from bot.runtime import Runtime

if TYPE_CHECKING:
    from bot.core.features import HomeSections

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommandCall:
    """One `/cx WORD ...` invocation, already split into the word and the rest."""

    word: str
    args: str
    cx: RequestContext
    channel_id: str
    trigger_id: str
    body: dict[str, Any]
    ack: Ack
    respond: Respond
    client: WebClient
    runtime: Runtime
    router: CommandRouter
    home: HomeSections

    @property
    def team_id(self) -> str:
        """The workspace the command was typed in."""
        return self.cx.team_id

    @property
    def user_id(self) -> str:
        """Who typed it."""
        return self.cx.user_id


SubcommandHandler = Callable[[CommandCall], None]


@dataclass(frozen=True)
class Subcommand:
    """A word after `/cx`, its usage line, and what it does."""

    word: str
    usage: str
    summary: str
    handler: SubcommandHandler
    order: int = 100
    gate: Gate | None = None


@dataclass
class CommandRouter:
    """Maps the first word of `/cx` text to a handler; unknown words get the help."""

    subcommands: dict[str, Subcommand] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    _help: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)

    def add(
        self,
        word: str,
        handler: SubcommandHandler,
        *,
        usage: str,
        summary: str,
        order: int = 100,
        aliases: tuple[str, ...] = (),
        gate: Gate | None = None,
    ) -> None:
        """Register ``handler`` for ``/cx word``; a word may be registered once. With a
        ``gate`` (``leads_only(...)``, ``admins_only(...)``), only those it allows reach it."""
        if word in self.subcommands:
            raise ValueError(f"/cx {word} is registered twice")
        self.subcommands[word] = Subcommand(word, usage, summary, handler, order, gate)
        for alias in aliases:
            self.aliases[alias] = word

    def listed(self) -> list[Subcommand]:
        """Subcommands in the order the help shows them."""
        return sorted(self.subcommands.values(), key=lambda s: (s.order, s.word))

    def help_message(
        self, *, threshold: int, unknown_word: str | None = None, t: Translator = ENGLISH
    ) -> dict[str, Any]:
        """The help as message fields in ``t``'s language; built once per threshold and
        language (words are added first)."""
        listed = self.listed()
        if unknown_word is not None:
            blocks = build_help_blocks(listed, threshold=threshold, unknown_word=unknown_word, t=t)
            return {"text": help_text(listed, t), "blocks": blocks}
        key = (threshold, t.language)
        if key not in self._help:
            blocks = build_help_blocks(listed, threshold=threshold, t=t)
            self._help[key] = {"text": help_text(listed, t), "blocks": blocks}
        return self._help[key]

    def resolve(self, text: str) -> tuple[Subcommand | None, str, str]:
        """Split ``text`` into (subcommand or None, the word typed, the rest)."""
        stripped = text.strip()
        word, _, rest = stripped.partition(" ")
        key = word.lower()
        key = self.aliases.get(key, key)
        return self.subcommands.get(key), word, rest.strip()


COMMAND = "/cx"


def handle_help(call: CommandCall) -> None:
    """`/cx help`: every word, as registered, with the workspace's anonymity threshold."""
    message = call.router.help_message(threshold=call.cx.threshold, t=call.cx.translator)
    call.ack(response_type="ephemeral", **message)


def handle_cx(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    cx: RequestContext,
    runtime: Runtime,
    router: CommandRouter,
    home: HomeSections,
) -> None:
    """Route `/cx WORD ...` to the word's handler; an unknown word gets the help."""
    sub, word, rest = router.resolve(body.get("text", ""))
    if sub is None:
        unknown = router.help_message(
            threshold=cx.threshold, unknown_word=word or None, t=cx.translator
        )
        ack(response_type="ephemeral", **unknown)
        return
    if sub.gate is not None and not sub.gate.allows(cx):
        sub.gate.refuse(Refused(body, ack, respond, client, context))
        return
    call = CommandCall(
        word=sub.word,
        args=rest,
        cx=cx,
        channel_id=body.get("channel_id", ""),
        trigger_id=body.get("trigger_id", ""),
        body=body,
        ack=ack,
        respond=respond,
        client=client,
        runtime=runtime,
        router=router,
        home=home,
    )
    sub.handler(call)


def add_cx(app: App, router: CommandRouter) -> None:
    """Wire `/cx` (before any other listener) and add its `help` word."""
    router.add("help", handle_help, usage="help", summary=N_("show this help"), order=0)
    app.command(COMMAND)(handle_cx)
