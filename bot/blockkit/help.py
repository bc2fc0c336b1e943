"""The `/cx help` message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.blockkit.text import escape, truncate

UNKNOWN_WORD_LIMIT = 40  # the echoed word: long input must not overflow the section


class HelpEntry(Protocol):
    """What the help needs to know about one subcommand."""

    @property
    def usage(self) -> str: ...

    @property
    def summary(self) -> str: ...


def build_help_blocks(
    entries: Sequence[HelpEntry], *, threshold: int, unknown_word: str | None = None
) -> list[dict[str, Any]]:
    """The help: one line per subcommand, and a note when the word was not known."""
    blocks: list[Any] = [HeaderBlock(text="CX Pulse: how staff feel, how customers fare")]
    if unknown_word:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"I don't know `{escape(truncate(unknown_word, UNKNOWN_WORD_LIMIT))}` "
                    "yet. Here's what I can do:"
                )
            )
        )
    lines = "\n".join(f"• `/cx {e.usage}` — {e.summary}" for e in entries)
    blocks.append(SectionBlock(text=MarkdownTextObject(text=lines)))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Your pulse answers are private: only team aggregates of "
                    f"{threshold} or more people, for weeks that have ended, are ever shown."
                )
            ]
        )
    )
    return [b.to_dict() for b in blocks]


def help_text(entries: Sequence[HelpEntry]) -> str:
    """Plain-text fallback for notifications and screen readers."""
    return "CX Pulse commands: " + ", ".join(f"/cx {e.usage}" for e in entries)


DM_HELP_TEXT = (
    "Hi! 👋 I don't read messages here, but I'm glad to help: type `/cx help` to see "
    "everything I do — `/cx moment` logs a customer moment, `/cx settings` picks your pulse "
    "time, and your daily pulse arrives here as buttons."
)
