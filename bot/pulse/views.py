"""The pulse DM: five faces, then the in-place confirmation (streak, note, second question)."""

from __future__ import annotations

from typing import Any

from bot.blockkit import ids
from bot.blockkit.fastblocks import actions, button, context, section, static_context
from bot.blockkit.text import escape, truncate
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
PRIVACY_LINE = "Only you see your answers; teams only see aggregates of 5 or more people."


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


def mood_actions(send_id: int, chosen: int | None = None) -> dict[str, Any]:
    """The one actions block: five buttons, 1 (worst) to 5 (best), value "send_id:score"."""
    buttons = [
        button(
            text=f"{emoji} {score}",
            action_id=f"{ids.PULSE_SCORE}_{score}",
            value=score_value(send_id, score),
            style="primary" if score == chosen else None,
            accessibility_label=face_label(score),
        )
        for score, emoji, _ in MOODS
    ]
    return actions(block_id=ids.PULSE_MOOD_BLOCK, elements=buttons)


def build_pulse_blocks(*, send_id: int) -> list[dict[str, Any]]:
    """The pulse DM as first posted: one question, one row of five faces."""
    return [
        section(
            "*How was your day?* Tap a face: 1 😫 awful … 5 😄 great.",
            accessory=skip_button(send_id),
        ),
        mood_actions(send_id),
        static_context(PRIVACY_LINE),
    ]


def _extra_label(question: Question, value: int) -> str:
    if question.kind == "yes_no":
        return "Yes" if value == 1 else "No"
    return str(value)


def _extra_blocks(send_id: int, question: Question, answered: int | None) -> list[dict[str, Any]]:
    prompt = f"*{escape(question.text)}*"
    if answered is not None:
        prompt += f"\n✓ You answered {_extra_label(question, answered)}. Tap again to change it."
    buttons = [
        button(
            text=_extra_label(question, value),
            action_id=f"{ids.PULSE_EXTRA}_{value}",
            value=extra_value(send_id, question.key, value),
            style="primary" if value == answered else None,
        )
        for value in question.values
    ]
    return [section(prompt), actions(block_id=ids.PULSE_EXTRA_BLOCK, elements=buttons)]


def answered_text(score: int, streak: int) -> str:
    """The confirmation line: "Thanks — you chose 🙂 (4). Streak: 3 days"."""
    days = "day" if streak == 1 else "days"
    return f"Thanks — you chose {EMOJI[score]} ({score}). Streak: {streak} {days}"


def build_answered_blocks(
    *,
    send_id: int,
    score: int,
    streak: int,
    question: Question | None,
    extra_value: int | None,
    note: str | None,
) -> list[dict[str, Any]]:
    """The DM after a tap: confirmation and streak, note button, the faces, the second question."""
    note_button = button(
        text="Edit note" if note else "Add a note",
        action_id=ids.PULSE_NOTE,
        value=str(send_id),
    )
    blocks = [
        section(f"*{answered_text(score, streak)}*", accessory=note_button),
        mood_actions(send_id, chosen=score),
        static_context("Changed your mind? Tap another face."),
    ]
    if note:
        text = f"📝 Your note: {escape(truncate(note, 200))}"
        blocks.append(context(text))
    if question is not None:
        blocks.extend(_extra_blocks(send_id, question, extra_value))
    blocks.append(static_context(PRIVACY_LINE))
    return blocks


SKIPPED_TEXT = "Skipped today: nothing was recorded, and your streak carries on. See you next time!"
ALREADY_ANSWERED_TEXT = (
    "You've already answered today, so there is nothing to skip. Tap another face to change it."
)


def build_skipped_blocks() -> list[dict[str, Any]]:
    """The DM once skipped: no faces left, nothing about any answer."""
    return [section(f"*{SKIPPED_TEXT}*"), static_context(PRIVACY_LINE)]


def reminder_text() -> str:
    """The one reminder, posted in the DM when the pulse is still unanswered."""
    return "A gentle nudge: today's pulse is just above — one tap is all it takes. 🙂"


CLOSED_TEXT = "This pulse has closed (answers are accepted for 48 hours). See you at the next one!"
NOT_YOURS_TEXT = "This pulse belongs to someone else, so I didn't record anything."
UNKNOWN_TEXT = (
    "I couldn't find this pulse any more (it may have been deleted). Nothing was recorded."
)
