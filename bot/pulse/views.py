"""The pulse DM (faces, note button, second question), the ephemeral confirmations, and the
test pulse.

Every text is in the reader's language (``t``); the English constants below are gettext
msgids, translated where they are sent.

The test pulse is the real pulse DM (same blocks, same second question) sent to an
admin, with a line saying it is a test and every button's action id moved under
``ids.PULSE_TEST``, so a tap reaches only the test listener, which confirms it and stores
nothing: no send row (nobody was "asked"), no answer, note or skip. A tap on a test can
therefore never be counted, whatever its value.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk import WebClient

from bot.core import ids
from bot.core.fastblocks import actions, button, section, static_context
from bot.core.i18n import ENGLISH, N_, Translator
from bot.core.posting import Mark, Posted, call_with_patience, post_once
from bot.core.text import escape
from bot.pulse.questions import EXPERIENCE_GAP, Question, bank_question

# The face scale's anchors: the same five meanings in every language, so answers compare.
MOODS: tuple[tuple[int, str, str], ...] = (
    (1, "😫", N_("awful")),
    (2, "😕", N_("meh")),
    (3, "😐", N_("okay")),
    (4, "🙂", N_("good")),
    (5, "😄", N_("great")),
)
EMOJI = {score: emoji for score, emoji, _ in MOODS}
WORDS = {score: word for score, _, word in MOODS}


def privacy_line(threshold: int, t: Translator = ENGLISH) -> str:
    """The promise under every pulse, with the threshold actually in force."""
    return t.gettext(
        "Only you see your answers (in App Home); teams only see aggregates of "
        "%(threshold)s or more people, for weeks that have ended.",
        threshold=threshold,
    )


def pulse_text(t: Translator = ENGLISH) -> str:
    """Plain-text fallback for the pulse DM (notifications, screen readers)."""
    return t.gettext(
        "How was your day? Tap 1 (😫 %(worst)s) to 5 (😄 %(best)s).",
        worst=t.gettext(WORDS[1]),
        best=t.gettext(WORDS[5]),
    )


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


def face_label(score: int, t: Translator = ENGLISH) -> str:
    """What a screen reader says for a face: "4 of 5, good"."""
    return t.gettext("%(score)s of 5, %(word)s", score=score, word=t.gettext(WORDS[score]))


def skip_button(send_id: int, t: Translator = ENGLISH) -> dict[str, Any]:
    """ "Skip today": no answer that day, no reminder, the streak carries on."""
    return button(
        text=t.gettext("Skip today"),
        action_id=ids.PULSE_SKIP,
        value=str(send_id),
        accessibility_label=t.gettext(
            "Skip today's pulse; nothing is recorded and your streak is kept"
        ),
    )


def mood_actions(send_id: int, t: Translator = ENGLISH) -> dict[str, Any]:
    """The one actions block: five buttons, 1 (worst) to 5 (best), value "send_id:score"."""
    buttons = [
        button(
            text=f"{emoji} {score}",
            action_id=f"{ids.PULSE_SCORE}_{score}",
            value=score_value(send_id, score),
            accessibility_label=face_label(score, t),
        )
        for score, emoji, _ in MOODS
    ]
    return actions(block_id=ids.PULSE_MOOD_BLOCK, elements=buttons)


def _extra_label(question: Question, value: int, t: Translator) -> str:
    if question.kind == "yes_no":
        return t.gettext("Yes") if value == 1 else t.gettext("No")
    return str(value)


def _anchors(question: Question, t: Translator) -> str | None:
    """What the ends of a numeric scale mean, worded alike in every language."""
    if question.kind == "nps":
        return t.gettext("0 = not at all likely · 10 = extremely likely")
    if question.key == EXPERIENCE_GAP:
        return t.gettext("1 = very poorly · 5 = excellently")
    if question.kind == "scale":
        return t.gettext("1 = not at all · 5 = completely")
    return None


def _extra_blocks(send_id: int, question: Question, t: Translator) -> list[dict[str, Any]]:
    buttons = [
        button(
            text=_extra_label(question, value, t),
            action_id=f"{ids.PULSE_EXTRA}_{value}",
            value=extra_value(send_id, question.key, value),
        )
        for value in question.values
    ]
    asked = t.gettext("*%(question)s* (optional)", question=escape(t.gettext(question.text)))
    anchors = _anchors(question, t)
    return [
        section(f"{asked}\n{anchors}" if anchors else asked),
        actions(block_id=ids.PULSE_EXTRA_BLOCK, elements=buttons),
    ]


def build_pulse_blocks(
    *, send_id: int, question: Question | None, threshold: int, t: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """The pulse DM, posted once and never edited: the faces, a note button, the question.

    Taps are confirmed by ephemeral replies, which Slack keeps out of the channel's
    history: reading the DM back (``conversations.history``) says nothing about whether
    or how the person answered.
    """
    note_button = button(
        text=t.gettext("Add or edit a note"), action_id=ids.PULSE_NOTE, value=str(send_id)
    )
    blocks = [
        section(
            t.gettext(
                "*How was your day?* Tap a face: 1 😫 %(worst)s … 5 😄 %(best)s.",
                worst=t.gettext(WORDS[1]),
                best=t.gettext(WORDS[5]),
            ),
            accessory=skip_button(send_id, t),
        ),
        mood_actions(send_id, t),
        section(
            t.gettext("Anything to add? Notes reach leads only as a group."),
            accessory=note_button,
        ),
    ]
    if question is not None:
        blocks.extend(_extra_blocks(send_id, question, t))
    blocks.append(static_context(privacy_line(threshold, t)))
    return blocks


ANSWERED_TEXT = N_(
    "Thanks, got it. Tap again today to change it; your own history is in App Home. "
    "(Only you can see this reply.)"
)
EXTRA_ANSWERED_TEXT = N_("Thanks, noted. (Only you can see this reply.)")
# Skipping is confirmed the same way, never by editing the DM: an edited DM would tell
# whoever reads it back with the bot token who did not answer that day.
SKIPPED_TEXT = N_(
    "Skipped today: nothing was recorded, and your streak carries on. See you next time! "
    "(Only you can see this reply.)"
)
ALREADY_ANSWERED_TEXT = N_(
    "You've already answered today, so there is nothing to skip. Tap another face to change it."
)


def reminder_text(t: Translator = ENGLISH) -> str:
    """The one reminder, posted in the DM when the pulse is still unanswered."""
    return t.gettext("A gentle nudge: today's pulse is just above — one tap is all it takes. 🙂")


CLOSED_TEXT = N_(
    "This pulse has closed (answers are accepted for 48 hours). See you at the next one!"
)
NOT_YOURS_TEXT = N_("This pulse belongs to someone else, so I didn't record anything.")
UNKNOWN_TEXT = N_(
    "I couldn't find this pulse any more (it may have been deleted). Nothing was recorded."
)


TEST_EVENT = "cxpulse_test_pulse"
# msgids: translated for the admin who asked for the test pulse.
TEST_MARK_TEXT = N_("Test pulse — answers are not counted")
TEST_TAPPED_TEXT = N_(
    "Test pulse: that tap worked, and nothing was recorded or counted. "
    "On a real pulse people see “Thanks, got it”. (Only you can see this reply.)"
)
ADMIN_TEST_TEXT = N_(
    "*See what staff get.* A test pulse comes to your DMs from CX Pulse, marked as a test; "
    "taps on it are confirmed but never recorded or counted."
)


def test_action_id(action_id: str) -> str:
    """The test pulse's action id for one of the real pulse's buttons."""
    return f"{ids.PULSE_TEST}_{action_id}"


def _retarget(element: dict[str, Any]) -> dict[str, Any]:
    if "action_id" in element:
        return {**element, "action_id": test_action_id(str(element["action_id"]))}
    return element


def build_test_pulse_blocks(
    *, day: date, threshold: int, t: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """The pulse DM for ``day`` (with the day's rotating question), marked as a test, in
    ``t`` (the admin's language: what a colleague with that language gets)."""
    blocks = build_pulse_blocks(send_id=0, question=bank_question(day), threshold=threshold, t=t)
    marked: list[dict[str, Any]] = [section(f"🧪 *{t.gettext(TEST_MARK_TEXT)}.*")]
    for block in blocks:
        block = dict(block)
        if "elements" in block and block.get("type") == "actions":
            block["elements"] = [_retarget(e) for e in block["elements"]]
        if "accessory" in block:
            block["accessory"] = _retarget(block["accessory"])
        marked.append(block)
    return marked


def send_test_pulse(
    client: WebClient,
    *,
    user_id: str,
    day: date,
    threshold: int,
    request_key: str,
    t: Translator = ENGLISH,
) -> Posted:
    """DM ``user_id`` a test pulse once per ``request_key`` (a retried click posts it once)."""
    answer = call_with_patience(lambda: client.conversations_open(users=user_id))
    return post_once(
        client,
        channel=str(answer["channel"]["id"]),
        mark=Mark(TEST_EVENT, {"request": request_key}),
        text=f"{t.gettext(TEST_MARK_TEXT)}. {pulse_text(t)}",
        blocks=build_test_pulse_blocks(day=day, threshold=threshold, t=t),
        unfurl_links=False,
    )


def admin_test_pulse_blocks(t: Translator = ENGLISH) -> list[dict[str, Any]]:
    """The `/cx admin` modal's "Send me a test pulse" row, in the admin's language."""
    send = button(
        text=t.gettext("Send me a test pulse"), action_id=ids.ADMIN_TEST_PULSE, value="test"
    )
    return [section(t.gettext(ADMIN_TEST_TEXT), accessory=send)]
