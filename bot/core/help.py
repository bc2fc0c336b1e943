"""The `/cx help` message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.core.i18n import ENGLISH, N_, Translator
from bot.core.text import escape, truncate

UNKNOWN_WORD_LIMIT = 40  # the echoed word: long input must not overflow the section


class HelpEntry(Protocol):
    """What the help needs to know about one subcommand."""

    @property
    def usage(self) -> str: ...

    @property
    def summary(self) -> str: ...


def build_help_blocks(
    entries: Sequence[HelpEntry],
    *,
    threshold: int,
    unknown_word: str | None = None,
    t: Translator = ENGLISH,
) -> list[dict[str, Any]]:
    """The help: one line per subcommand, and a note when the word was not known.

    Usages and summaries are msgids (marked with ``N_`` where the words are registered).
    """
    blocks: list[Any] = [
        HeaderBlock(text=t.gettext("CX Pulse: how staff feel, how customers fare"))
    ]
    if unknown_word:
        word = escape(truncate(unknown_word, UNKNOWN_WORD_LIMIT))
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=t.gettext("I don't know `%(word)s` yet. Here's what I can do:", word=word)
                )
            )
        )
    lines = "\n".join(f"• `/cx {t.gettext(e.usage)}` — {t.gettext(e.summary)}" for e in entries)
    blocks.append(SectionBlock(text=MarkdownTextObject(text=lines)))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t.gettext(
                        "Your pulse answers are private: only team aggregates of %(threshold)s "
                        "or more people, for weeks that have ended, are ever shown.",
                        threshold=threshold,
                    )
                )
            ]
        )
    )
    return [b.to_dict() for b in blocks]


def help_text(entries: Sequence[HelpEntry], t: Translator = ENGLISH) -> str:
    """Plain-text fallback for notifications and screen readers."""
    commands = ", ".join(f"/cx {t.gettext(e.usage)}" for e in entries)
    return t.gettext("CX Pulse commands: %(commands)s", commands=commands)


DM_HELP_TEXT = N_(
    "Hi! 👋 I don't read messages here, but I'm glad to help: type `/cx help` to see "
    "everything I do — `/cx moment` logs a customer moment, `/cx settings` picks your pulse "
    "time, and your daily pulse arrives here as buttons."
)
