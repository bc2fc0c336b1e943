"""Block Kit for anonymous notes: the lead's list, reply modals and the DMs both ways."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)

from bot.core import ids
from bot.core.blocks import button_row
from bot.core.i18n import ENGLISH, N_, Translator
from bot.core.modals import modal, text_modal
from bot.core.text import escape, truncate
from bot.notes.store import VisibleNote

MAX_REPLY = 2000
ANONYMOUS = N_("They stay anonymous: CX Pulse never tells anyone who wrote a note.")
ANSWER_SENT = N_("Sent. The lead still doesn't know it was you.")


# A section's text holds 3,000 characters; escaping can make typed text up to 5 times longer.
SECTION_ROOM = 2800
# An ephemeral message holds 50 blocks: the heading, the notes, and a line saying how many more.
MAX_NOTES_SHOWN = 45


def _quoted(text: str) -> str:
    return "\n".join(f">{line}" for line in escape(text).splitlines() or [""])


def _quote(text: str, limit: int = 600) -> str:
    """``text`` as a quote, cut so that it still fits a section once escaped."""
    shown = truncate(text, limit)
    quoted = _quoted(shown)
    while len(quoted) > SECTION_ROOM:
        shown = truncate(text, len(shown) * SECTION_ROOM // len(quoted) - 1)
        quoted = _quoted(shown)
    return quoted


def _week_heading(week: date, t: Translator) -> str:
    """The week named by its Monday, as on the lead's App Home: "Week of 16 February"."""
    return t.gettext("*Week of %(day)s*", day=t.day_of_month(week))


def build_notes_blocks(
    notes: Sequence[VisibleNote], *, threshold: int, t: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """The lead's ephemeral list: week and text per note, each with a Reply button."""
    if not notes:
        text = t.gettext(
            "No notes to show. Notes appear once at least %(threshold)s people in a team "
            "answered the pulse that week, and never with names.",
            threshold=threshold,
        )
        return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    heading = t.gettext(
        "*Anonymous notes* (groups of %(threshold)s+ only, no names). "
        "Reply and the author gets it privately.",
        threshold=threshold,
    )
    blocks: list[Any] = [SectionBlock(text=MarkdownTextObject(text=heading))]
    for note in notes[:MAX_NOTES_SHOWN]:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=f"{_week_heading(note.week, t)}\n{_quote(note.text)}"),
                accessory=ButtonElement(
                    action_id=ids.NOTE_REPLY, text=t.gettext("Reply"), value=str(note.id)
                ),
            )
        )
    if len(notes) > MAX_NOTES_SHOWN:
        more = t.gettext(
            "…and %(count)s more, from earlier: reply to these first.",
            count=len(notes) - MAX_NOTES_SHOWN,
        )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return [b.to_dict() for b in blocks]


def _text_modal(
    callback_id: str,
    title: str,
    intro: str,
    block_id: str,
    label: str,
    metadata: str,
    t: Translator = ENGLISH,
) -> dict[str, Any]:
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=intro)),
        InputBlock(
            block_id=block_id,
            label=label,
            element=PlainTextInputElement(action_id=block_id, multiline=True, max_length=MAX_REPLY),
        ),
        ContextBlock(elements=[MarkdownTextObject(text=t.gettext(ANONYMOUS))]),
    ]
    return modal(
        callback_id,
        title,
        blocks,
        submit=t.gettext("Send"),
        close=t.gettext("Cancel"),
        private_metadata=metadata,
    )


def build_reply_modal(note: VisibleNote, t: Translator = ENGLISH) -> dict[str, Any]:
    """The lead writes a reply to one note (in the lead's language)."""
    intro = f"{_week_heading(note.week, t)}\n{_quote(note.text)}"
    return _text_modal(
        ids.NOTE_REPLY_VIEW,
        t.gettext("Reply to a note"),
        intro,
        ids.NOTE_REPLY_TEXT,
        t.gettext("Your reply"),
        str(note.id),
        t,
    )


def build_answer_modal(reply_id: int, note: VisibleNote, t: Translator = ENGLISH) -> dict[str, Any]:
    """The author writes an answer back to the lead, in the author's language."""
    intro = t.gettext("Your note from the week of %(day)s:", day=t.day_of_month(note.week))
    intro += "\n" + _quote(note.text)
    return _text_modal(
        ids.NOTE_ANSWER_VIEW,
        t.gettext("Answer back"),
        intro,
        ids.NOTE_ANSWER_TEXT,
        t.gettext("Your answer"),
        str(reply_id),
        t,
    )


def build_sent_view(text: str, t: Translator = ENGLISH) -> dict[str, Any]:
    """A modal turned into a short confirmation."""
    return text_modal(t.gettext("Sent"), text, close=t.gettext("Done"))


def reply_sent_text(t: Translator = ENGLISH) -> str:
    """What the lead's reply modal turns into: sent, and the author stays unnamed."""
    return t.gettext("Sent. %(anonymous)s", anonymous=t.gettext(ANONYMOUS))


def build_author_dm(
    *, lead_user_id: str, note: VisibleNote, reply: str, reply_id: int, t: Translator = ENGLISH
) -> tuple[str, list[dict[str, Any]]]:
    """The DM to a note's author, in their language: the lead's reply and "Answer back"."""
    text = t.gettext(
        "%(lead)s replied to your anonymous note from the week of %(day)s.",
        lead=f"<@{lead_user_id}>",
        day=t.day_of_month(note.week),
    )
    unknown = t.gettext("They don't know it was you.")
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"{text} {unknown}\n{_quote(note.text, 300)}")),
        SectionBlock(
            text=MarkdownTextObject(
                text=t.gettext("*Their reply:*") + "\n" + _quote(reply, MAX_REPLY)
            )
        ),
        button_row(t.gettext("Answer back"), action_id=ids.NOTE_ANSWER, value=str(reply_id)),
    ]
    return text, [b.to_dict() for b in blocks]


def build_lead_dm(
    *, note: VisibleNote, answer: str, t: Translator = ENGLISH
) -> tuple[str, list[dict[str, Any]]]:
    """The DM to the lead (in the lead's language): the author's answer, still anonymous,
    and a way to reply again."""
    text = t.gettext(
        "The author of the note from the week of %(day)s answered your reply.",
        day=t.day_of_month(note.week),
    )
    answer_text = t.gettext("*Their answer:*") + "\n" + _quote(answer, MAX_REPLY)
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"{text}\n{_quote(note.text, 300)}")),
        SectionBlock(text=MarkdownTextObject(text=answer_text)),
        button_row(t.gettext("Reply"), action_id=ids.NOTE_REPLY, value=str(note.id)),
    ]
    return text, [b.to_dict() for b in blocks]
