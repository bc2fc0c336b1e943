"""Pulse modals (note, settings, pause, forget me) and the App Home pulse section.

Every text is in the reader's language (``t``, bot/core/i18n.py).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
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
from bot.core.i18n import ENGLISH, SUPPORTED, Translator, native_name
from bot.core.modals import modal, text_modal
from bot.core.text import escape
from bot.pulse.answers import NOTE_MAX_CHARS
from bot.pulse.schedule import PulsePlan, zone
from bot.pulse.views import EMOJI
from bot.settings.store import MAX_PAUSE_DAYS, ForgetReport

NO_ANSWER = "▫️"
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


def _day_option(day: int, t: Translator) -> Option:
    return Option(value=str(day), label=t.weekday(day))


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
    days = [_day_option(d, t) for d in range(7)]
    chosen = [_day_option(d, t) for d in sorted(plan.working_days)]
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
        InputBlock(
            block_id=ids.PULSE_SETTINGS_DAYS_BLOCK,
            label=t.gettext("Working days"),
            element=CheckboxesElement(
                action_id=ids.PULSE_SETTINGS_DAYS,
                options=days,
                initial_options=chosen or None,
            ),
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


def trend_line(scores: dict[date, int], *, pulse_days: list[date], t: Translator = ENGLISH) -> str:
    """One emoji per pulse day (oldest first), ▫️ where unanswered."""
    if not pulse_days:
        return t.gettext("_No pulses yet._")
    return "".join(EMOJI.get(scores.get(d, 0), NO_ANSWER) for d in pulse_days)


def status_line(
    plan: PulsePlan, *, today: date, next_at: datetime | None, t: Translator = ENGLISH
) -> str:
    """Opted out, paused until…, or when the next pulse comes."""
    if plan.opted_out:
        return t.gettext("You've opted out of pulses. Change it in Settings.")
    if plan.paused_until is not None and plan.paused_until >= today:
        back = plan.paused_until + timedelta(days=1)
        return t.gettext(
            "⏸ Paused until %(until)s; pulses resume %(back)s.",
            until=t.short_day(plan.paused_until),
            back=t.short_day(back),
        )
    if next_at is None:
        return t.gettext("No pulse scheduled in the next two weeks (check your working days).")
    local = next_at.astimezone(zone(plan.tz))
    return t.gettext(
        "Next pulse: %(when)s (%(tz)s).", when=t.day_and_time(local), tz=escape(plan.tz)
    )


def build_home_section(
    *,
    plan: PulsePlan,
    scores: dict[date, int],
    pulse_days: list[date],
    streak: int,
    today: date,
    next_at: datetime | None,
    t: Translator = ENGLISH,
) -> list[dict[str, Any]]:
    """The employee's own pulse on App Home: 30-day trend, streak, status and buttons."""
    answered = [scores[d] for d in pulse_days if d in scores]
    counts = t.gettext(
        "%(answered)s of %(days)s answered", answered=len(answered), days=len(pulse_days)
    )
    if answered:
        average = t.number(sum(answered) / len(answered), decimals=1)
        counts = t.gettext("%(counts)s · average %(average)s", counts=counts, average=average)
    paused = plan.paused_until is not None and plan.paused_until >= today
    toggle = (
        ButtonElement(text=t.gettext("Resume"), action_id=ids.HOME_PULSE_RESUME, value="resume")
        if paused or plan.opted_out
        else ButtonElement(text=t.gettext("Pause"), action_id=ids.HOME_PULSE_PAUSE, value="pause")
    )
    forget = ButtonElement(
        text=t.gettext("Forget me"),
        action_id=ids.HOME_PULSE_FORGET,
        value="forget",
        style="danger",
        confirm=ConfirmObject(
            title=t.gettext("Forget me?"),
            text=t.gettext("Next you'll see exactly what gets deleted, and confirm once more."),
            confirm=t.gettext("Continue"),
            deny=t.gettext("Cancel"),
        ),
    )
    streak_text = t.ngettext("🔥 Streak: %(n)s day", "🔥 Streak: %(n)s days", streak)
    trend = t.gettext(
        "*Last 30 days:* %(trend)s", trend=trend_line(scores, pulse_days=pulse_days, t=t)
    )
    blocks: list[Block] = [
        DividerBlock(),
        HeaderBlock(text=t.gettext("Your pulse")),
        SectionBlock(text=MarkdownTextObject(text=f"{trend}\n{counts} · {streak_text}")),
        ContextBlock(
            elements=[MarkdownTextObject(text=status_line(plan, today=today, next_at=next_at, t=t))]
        ),
        ActionsBlock(
            block_id=ids.HOME_PULSE_BLOCK,
            elements=[
                toggle,
                ButtonElement(
                    text=t.gettext("Settings"), action_id=ids.HOME_PULSE_SETTINGS, value="s"
                ),
                forget,
            ],
        ),
    ]
    return [b.to_dict() for b in blocks]


def parse_time(raw: str | None) -> time | None:
    """A timepicker's "HH:MM", or None."""
    if not raw:
        return None
    try:
        hours, minutes = raw.split(":")[:2]
        return time(int(hours), int(minutes))
    except ValueError:
        return None
