"""The pulse DM (faces, note button, second question) and the ephemeral confirmations."""

from __future__ import annotations

from typing import Any

from bot.blockkit import ids
from bot.blockkit.fastblocks import actions, button, section, static_context
from bot.blockkit.text import escape
from bot.pulse.questions import Question

MOODS: tuple[tuple[int, str, str], ...] = (
    (1, "😫", "awful"),
    (2, "😕", "meh"),
    (3, "😐", "okay"),
    (4, "🙂", "good"),
    (5, "😄", "great"),
)
EMOJI = {score: emoji for score, emoji, _ in MOODS}
WORDS = {score: word for score, _, word in MOODS}


def privacy_line(threshold: int) -> str:
    """The promise under every pulse, with the threshold actually in force."""
    return (
        f"Only you see your answers (in App Home); teams only see aggregates of "
        f"{threshold} or more people, for weeks that have ended."
    )


def pulse_text() -> str:
    """Plain-text fallback for the pulse DM (notifications, screen readers)."""
    return "How was your day? Tap 1 (😫 awful) to 5 (😄 great)."


def score_value(send_id: int, score: int) -> str:
    """A face button's value; read back by ``read_score_value``."""
    return f"{send_id}:{score}"


def read_score_value(value: str) -> tuple[str, int]:
    """(send id, score) from a face button's value; ValueError when it is not one."""
    send_id, score = value.split(":")
    return send_id, int(score)


def extra_value(send_id: int, question_key: str, value: int) -> str:
    """A second-question button's value; read back by ``read_extra_value``."""
    return f"{send_id}:{question_key}:{value}"


def read_extra_value(value: str) -> tuple[str, str, int]:
    """(send id, question key, answer) from a second-question button; ValueError if not one."""
    send_id, question_key, answer = value.split(":")
    return send_id, question_key, int(answer)


def face_label(score: int) -> str:
    """What a screen reader says for a face: "4 of 5, good"."""
    return f"{score} of 5, {WORDS[score]}"


def skip_button(send_id: int) -> dict[str, Any]:
    """ "Skip today": no answer that day, no reminder, the streak carries on."""
    return button(
        text="Skip today",
        action_id=ids.PULSE_SKIP,
        value=str(send_id),
        accessibility_label="Skip today's pulse; nothing is recorded and your streak is kept",
    )


def mood_actions(send_id: int) -> dict[str, Any]:
    """The one actions block: five buttons, 1 (worst) to 5 (best), value "send_id:score"."""
    buttons = [
        button(
            text=f"{emoji} {score}",
            action_id=f"{ids.PULSE_SCORE}_{score}",
            value=score_value(send_id, score),
            accessibility_label=face_label(score),
        )
        for score, emoji, _ in MOODS
    ]
    return actions(block_id=ids.PULSE_MOOD_BLOCK, elements=buttons)


def _extra_label(question: Question, value: int) -> str:
    if question.kind == "yes_no":
        return "Yes" if value == 1 else "No"
    return str(value)


def _extra_blocks(send_id: int, question: Question) -> list[dict[str, Any]]:
    buttons = [
        button(
            text=_extra_label(question, value),
            action_id=f"{ids.PULSE_EXTRA}_{value}",
            value=extra_value(send_id, question.key, value),
        )
        for value in question.values
    ]
    return [
        section(f"*{escape(question.text)}* (optional)"),
        actions(block_id=ids.PULSE_EXTRA_BLOCK, elements=buttons),
    ]


def build_pulse_blocks(
    *, send_id: int, question: Question | None, threshold: int
) -> list[dict[str, Any]]:
    """The pulse DM, posted once and never edited: the faces, a note button, the question.

    Taps are confirmed by ephemeral replies, which Slack keeps out of the channel's
    history: reading the DM back (``conversations.history``) says nothing about whether
    or how the person answered.
    """
    note_button = button(text="Add or edit a note", action_id=ids.PULSE_NOTE, value=str(send_id))
    blocks = [
        section(
            "*How was your day?* Tap a face: 1 😫 awful … 5 😄 great.",
            accessory=skip_button(send_id),
        ),
        mood_actions(send_id),
        section("Anything to add? Notes reach leads only as a group.", accessory=note_button),
    ]
    if question is not None:
        blocks.extend(_extra_blocks(send_id, question))
    blocks.append(static_context(privacy_line(threshold)))
    return blocks


ANSWERED_TEXT = (
    "Thanks, got it. Tap again today to change it; your own history is in App Home. "
    "(Only you can see this reply.)"
)
EXTRA_ANSWERED_TEXT = "Thanks, noted. (Only you can see this reply.)"
# Skipping is confirmed the same way, never by editing the DM: an edited DM would tell
# whoever reads it back with the bot token who did not answer that day.
SKIPPED_TEXT = (
    "Skipped today: nothing was recorded, and your streak carries on. See you next time! "
    "(Only you can see this reply.)"
)
ALREADY_ANSWERED_TEXT = (
    "You've already answered today, so there is nothing to skip. Tap another face to change it."
)


def reminder_text() -> str:
    """The one reminder, posted in the DM when the pulse is still unanswered."""
    return "A gentle nudge: today's pulse is just above — one tap is all it takes. 🙂"


CLOSED_TEXT = "This pulse has closed (answers are accepted for 48 hours). See you at the next one!"
NOT_YOURS_TEXT = "This pulse belongs to someone else, so I didn't record anything."
UNKNOWN_TEXT = (
    "I couldn't find this pulse any more (it may have been deleted). Nothing was recorded."
)
