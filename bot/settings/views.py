"""Pulse modals (note, settings, pause, forget me), what they say, and their submitted
state read back (the App Home pulse section is in home_views.py).

Every text is in the reader's language (``t``, bot/core/i18n.py).
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
)

from bot.core import ids
from bot.core.blocks import working_days_input
from bot.core.i18n import ENGLISH, SUPPORTED, Translator, native_name
from bot.core.modals import modal, text_modal
from bot.pulse.answers import NOTE_MAX_CHARS
from bot.pulse.schedule import PulsePlan, parse_working_days
from bot.settings.store import MAX_PAUSE_DAYS, ForgetReport, SettingsForm

# The language menu's first option: no choice of one's own, Slack's language is used.
FOLLOW_SLACK = "slack"


def build_note_modal(
    *, send_id: int, note: str | None, threshold: int, t: Translator = ENGLISH
) -> dict[str, Any]:
    """The "Add a note" modal; the text is validated on submit (blank, too long)."""
    element = PlainTextInputElement(
        action_id=ids.PULSE_NOTE_INPUT, multiline=True, initial_value=note or None
    )
    blocks: list[Block] = [
        InputBlock(
            block_id=ids.PULSE_NOTE_BLOCK,
            label=t.gettext("Anything behind today's answer?"),
            element=element,
            optional=True,
            hint=t.gettext(
                "Up to %(limit)s characters. Leads see notes only once the week has ended and "
                "%(threshold)s or more people wrote one, never with your name.",
                limit=NOTE_MAX_CHARS,
                threshold=threshold,
            ),
        )
    ]
    return modal(
        ids.PULSE_NOTE_VIEW,
        t.gettext("Add a note"),
        blocks,
        submit=t.gettext("Save note"),
        close=t.gettext("Cancel"),
        private_metadata=str(send_id),
    )


def _language_select(language: str | None, slack_language: str, t: Translator) -> InputBlock:
    """Slack's language (the default) or one of the supported languages, each in its own words."""
    follow = Option(
        value=FOLLOW_SLACK,
        label=t.gettext("Slack's language (%(language)s)", language=native_name(slack_language)),
    )
    options = [follow] + [Option(value=code, label=native_name(code)) for code in SUPPORTED]
    chosen = next((o for o in options if o.value == language), follow)
    return InputBlock(
        block_id=ids.PULSE_SETTINGS_LANGUAGE_BLOCK,
        label=t.gettext("Language"),
        element=StaticSelectElement(
            action_id=ids.PULSE_SETTINGS_LANGUAGE, options=options, initial_option=chosen
        ),
        hint=t.gettext("The language CX Pulse writes to you in."),
    )


def build_settings_modal(
    *,
    plan: PulsePlan,
    language: str | None = None,
    slack_language: str = "en",
    t: Translator = ENGLISH,
) -> dict[str, Any]:
    """Pulse time, working days, opt out and language, prefilled with what is in force."""
    opt_out = Option(value="opt_out", label=t.gettext("Opt out: send me no pulses"))
    blocks: list[Block] = [
        InputBlock(
            block_id=ids.PULSE_SETTINGS_TIME_BLOCK,
            label=t.gettext("Pulse time"),
            element=TimePickerElement(
                action_id=ids.PULSE_SETTINGS_TIME,
                initial_time=plan.pulse_time.strftime("%H:%M"),
            ),
            hint=t.gettext("In your Slack time zone (%(tz)s).", tz=plan.tz),
        ),
        working_days_input(
            t,
            block_id=ids.PULSE_SETTINGS_DAYS_BLOCK,
            action_id=ids.PULSE_SETTINGS_DAYS,
            chosen=sorted(plan.working_days),
            optional=True,
        ),
        InputBlock(
            block_id=ids.PULSE_SETTINGS_OPT_OUT_BLOCK,
            label=t.gettext("Opt out"),
            element=CheckboxesElement(
                action_id=ids.PULSE_SETTINGS_OPT_OUT,
                options=[opt_out],
                initial_options=[opt_out] if plan.opted_out else None,
            ),
            optional=True,
        ),
        _language_select(language, slack_language, t),
    ]
    return modal(
        ids.PULSE_SETTINGS_VIEW,
        t.gettext("Pulse settings"),
        blocks,
        submit=t.gettext("Save"),
        close=t.gettext("Cancel"),
    )


def build_pause_modal(t: Translator = ENGLISH) -> dict[str, Any]:
    """How many days to pause (from App Home)."""
    blocks: list[Block] = [
        InputBlock(
            block_id=ids.PULSE_PAUSE_BLOCK,
            label=t.gettext("Pause pulses for how many days?"),
            element=NumberInputElement(
                action_id=ids.PULSE_PAUSE_DAYS,
                is_decimal_allowed=False,
                initial_value="5",
                min_value="1",
                max_value=str(MAX_PAUSE_DAYS),
            ),
            hint=t.gettext("1 to %(max)s days, starting today.", max=MAX_PAUSE_DAYS),
        )
    ]
    return modal(
        ids.PULSE_PAUSE_VIEW,
        t.gettext("Pause pulses"),
        blocks,
        submit=t.gettext("Pause"),
        close=t.gettext("Cancel"),
    )


def paused_text(until: date, t: Translator = ENGLISH) -> str:
    """The confirmation of a pause."""
    return t.gettext(
        "⏸ Pulses paused through %(until)s. `/cx resume` turns them back on sooner.",
        until=t.short_day(until),
    )


def resumed_text(changed: bool, t: Translator = ENGLISH) -> str:
    """The confirmation of a resume (or that there was nothing to resume)."""
    if changed:
        return t.gettext("▶️ Pulses are back on: you'll get the next one at your usual time.")
    return t.gettext("Your pulses weren't paused; nothing changed.")


def build_forget_modal(t: Translator = ENGLISH) -> dict[str, Any]:
    """The confirmation step before forget-me deletes anything."""
    text = t.gettext(
        "*Forget me* deletes, for good: all your pulse answers, notes and second-question "
        "answers and the record of pulses sent to you.\n"
        "Your settings stay: if you paused or opted out, you stay paused or out. "
        "Team aggregates already shared in past digests can't be recalled. "
        "Otherwise you'll get pulses again from tomorrow."
    )
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text))]
    return modal(
        ids.PULSE_FORGET_VIEW,
        t.gettext("Forget me"),
        blocks,
        submit=t.gettext("Delete my data"),
        close=t.gettext("Keep it"),
    )


def forget_summary(report: ForgetReport, t: Translator = ENGLISH) -> str:
    """What forget-me deleted, in words."""
    if report.total == 0:
        return t.gettext("There was nothing to delete: I hold no pulse data of yours.")
    return t.gettext(
        "Done. I deleted %(answers)s pulse answer(s), %(notes)s note(s), %(extra)s "
        "second-question answer(s) and %(sends)s record(s) of pulses sent to you. Your "
        "settings (a pause or an opt-out) stay as they were; your next pulse, if any, "
        "comes tomorrow.",
        answers=report.answers,
        notes=report.notes,
        extra=report.extra_answers,
        sends=report.sends,
    )


def build_forget_done_modal(report: ForgetReport, t: Translator = ENGLISH) -> dict[str, Any]:
    """The modal after forget-me ran: what was deleted."""
    return text_modal(
        t.gettext("Forget me"),
        forget_summary(report, t),
        callback_id=ids.PULSE_FORGET_DONE_VIEW,
        close=t.gettext("Close"),
    )


def parse_time(raw: str | None) -> time | None:
    """A timepicker's "HH:MM", or None."""
    if not raw:
        return None
    try:
        hours, minutes = raw.split(":")[:2]
        return time(int(hours), int(minutes))
    except ValueError:
        return None


def read_note(view: dict[str, Any]) -> str:
    """The note modal's text ("" when empty)."""
    field = view["state"]["values"].get(ids.PULSE_NOTE_BLOCK, {}).get(ids.PULSE_NOTE_INPUT, {})
    text: str = (field or {}).get("value") or ""
    return text


def _selected(values: dict[str, Any], block: str, action: str) -> list[str]:
    entry = values.get(block, {}).get(action, {}) or {}
    return [o["value"] for o in entry.get("selected_options") or []]


def parse_settings(view: dict[str, Any]) -> SettingsForm:
    """The settings modal's state as a form."""
    values = view["state"]["values"]
    raw_time = values.get(ids.PULSE_SETTINGS_TIME_BLOCK, {}).get(ids.PULSE_SETTINGS_TIME) or {}
    days = _selected(values, ids.PULSE_SETTINGS_DAYS_BLOCK, ids.PULSE_SETTINGS_DAYS)
    opt_out = _selected(values, ids.PULSE_SETTINGS_OPT_OUT_BLOCK, ids.PULSE_SETTINGS_OPT_OUT)
    language = values.get(ids.PULSE_SETTINGS_LANGUAGE_BLOCK, {}).get(ids.PULSE_SETTINGS_LANGUAGE)
    chosen = ((language or {}).get("selected_option") or {}).get("value") or FOLLOW_SLACK
    return SettingsForm(
        pulse_time=parse_time(raw_time.get("selected_time")),
        working_days=parse_working_days(",".join(days), ()),
        opted_out=bool(opt_out),
        language=None if chosen == FOLLOW_SLACK else str(chosen),
    )


# The settings form's field name → the modal block that shows its error.
SETTINGS_ERROR_BLOCKS = {
    "pulse_time": ids.PULSE_SETTINGS_TIME_BLOCK,
    "working_days": ids.PULSE_SETTINGS_DAYS_BLOCK,
    "language": ids.PULSE_SETTINGS_LANGUAGE_BLOCK,
}


def read_pause_days(view: dict[str, Any]) -> str:
    """What was typed in the pause modal ("" when empty)."""
    entry = view["state"]["values"].get(ids.PULSE_PAUSE_BLOCK, {}).get(ids.PULSE_PAUSE_DAYS) or {}
    return str(entry.get("value") or "")
