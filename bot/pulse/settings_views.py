"""Pulse modals (note, settings, pause, forget me) and the App Home pulse section."""

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
    TimePickerElement,
)

from bot.blockkit import ids
from bot.blockkit.modals import modal, text_modal
from bot.blockkit.text import escape
from bot.pulse.answers import NOTE_MAX_CHARS
from bot.pulse.prefs import MAX_PAUSE_DAYS, ForgetReport
from bot.pulse.schedule import PulsePlan, zone
from bot.pulse.views import EMOJI

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NO_ANSWER = "▫️"


def build_note_modal(*, send_id: int, note: str | None, threshold: int) -> dict[str, Any]:
    """The "Add a note" modal; the text is validated on submit (blank, too long)."""
    element = PlainTextInputElement(
        action_id=ids.PULSE_NOTE_INPUT, multiline=True, initial_value=note or None
    )
    blocks: list[Block] = [
        InputBlock(
            block_id=ids.PULSE_NOTE_BLOCK,
            label="Anything behind today's answer?",
            element=element,
            optional=True,
            hint=f"Up to {NOTE_MAX_CHARS} characters. Leads see notes only once the week has "
            f"ended and {threshold} or more people wrote one, never with your name.",
        )
    ]
    return modal(
        ids.PULSE_NOTE_VIEW,
        "Add a note",
        blocks,
        submit="Save note",
        close="Cancel",
        private_metadata=str(send_id),
    )


def _day_option(day: int) -> Option:
    return Option(value=str(day), label=DAY_NAMES[day])


def build_settings_modal(*, plan: PulsePlan) -> dict[str, Any]:
    """Pulse time, working days and opt out, prefilled with what is in force."""
    opt_out = Option(value="opt_out", label="Opt out: send me no pulses")
    days = [_day_option(d) for d in range(7)]
    chosen = [_day_option(d) for d in sorted(plan.working_days)]
    blocks: list[Block] = [
        InputBlock(
            block_id=ids.PULSE_SETTINGS_TIME_BLOCK,
            label="Pulse time",
            element=TimePickerElement(
                action_id=ids.PULSE_SETTINGS_TIME,
                initial_time=plan.pulse_time.strftime("%H:%M"),
            ),
            hint=f"In your Slack time zone ({plan.tz}).",
        ),
        InputBlock(
            block_id=ids.PULSE_SETTINGS_DAYS_BLOCK,
            label="Working days",
            element=CheckboxesElement(
                action_id=ids.PULSE_SETTINGS_DAYS,
                options=days,
                initial_options=chosen or None,
            ),
            optional=True,
        ),
        InputBlock(
            block_id=ids.PULSE_SETTINGS_OPT_OUT_BLOCK,
            label="Opt out",
            element=CheckboxesElement(
                action_id=ids.PULSE_SETTINGS_OPT_OUT,
                options=[opt_out],
                initial_options=[opt_out] if plan.opted_out else None,
            ),
            optional=True,
        ),
    ]
    return modal(ids.PULSE_SETTINGS_VIEW, "Pulse settings", blocks, submit="Save")


def build_pause_modal() -> dict[str, Any]:
    """How many days to pause (from App Home)."""
    blocks: list[Block] = [
        InputBlock(
            block_id=ids.PULSE_PAUSE_BLOCK,
            label="Pause pulses for how many days?",
            element=NumberInputElement(
                action_id=ids.PULSE_PAUSE_DAYS,
                is_decimal_allowed=False,
                initial_value="5",
                min_value="1",
                max_value=str(MAX_PAUSE_DAYS),
            ),
            hint=f"1 to {MAX_PAUSE_DAYS} days, starting today.",
        )
    ]
    return modal(ids.PULSE_PAUSE_VIEW, "Pause pulses", blocks, submit="Pause")


def build_forget_modal() -> dict[str, Any]:
    """The confirmation step before forget-me deletes anything."""
    text = (
        "*Forget me* deletes, for good: all your pulse answers, notes and second-question "
        "answers and the record of pulses sent to you.\n"
        "Your settings stay: if you paused or opted out, you stay paused or out. "
        "Team aggregates already shared in past digests can't be recalled. "
        "Otherwise you'll get pulses again from tomorrow."
    )
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text))]
    return modal(
        ids.PULSE_FORGET_VIEW, "Forget me", blocks, submit="Delete my data", close="Keep it"
    )


def forget_summary(report: ForgetReport) -> str:
    """What forget-me deleted, in words."""
    if report.total == 0:
        return "There was nothing to delete: I hold no pulse data of yours."
    return (
        f"Done. I deleted {report.answers} pulse answer(s), {report.notes} note(s), "
        f"{report.extra_answers} second-question answer(s) and "
        f"{report.sends} record(s) of pulses sent to you. Your settings (a pause or an "
        "opt-out) stay as they were; your next pulse, if any, comes tomorrow."
    )


def build_forget_done_modal(report: ForgetReport) -> dict[str, Any]:
    """The modal after forget-me ran: what was deleted."""
    return text_modal(
        "Forget me", forget_summary(report), callback_id=ids.PULSE_FORGET_DONE_VIEW, close="Close"
    )


def trend_line(scores: dict[date, int], *, pulse_days: list[date]) -> str:
    """One emoji per pulse day (oldest first), ▫️ where unanswered."""
    if not pulse_days:
        return "_No pulses yet._"
    return "".join(EMOJI.get(scores.get(d, 0), NO_ANSWER) for d in pulse_days)


def status_line(plan: PulsePlan, *, today: date, next_at: datetime | None) -> str:
    """Opted out, paused until…, or when the next pulse comes."""
    if plan.opted_out:
        return "You've opted out of pulses. Change it in Settings."
    if plan.paused_until is not None and plan.paused_until >= today:
        back = plan.paused_until + timedelta(days=1)
        return f"⏸ Paused until {plan.paused_until:%a %d %b}; pulses resume {back:%a %d %b}."
    if next_at is None:
        return "No pulse scheduled in the next two weeks (check your working days)."
    local = next_at.astimezone(zone(plan.tz))
    return f"Next pulse: {local:%a %d %b %H:%M} ({escape(plan.tz)})."


def build_home_section(
    *,
    plan: PulsePlan,
    scores: dict[date, int],
    pulse_days: list[date],
    streak: int,
    today: date,
    next_at: datetime | None,
) -> list[dict[str, Any]]:
    """The employee's own pulse on App Home: 30-day trend, streak, status and buttons."""
    answered = [scores[d] for d in pulse_days if d in scores]
    average = f" · average {sum(answered) / len(answered):.1f}" if answered else ""
    paused = plan.paused_until is not None and plan.paused_until >= today
    toggle = (
        ButtonElement(text="Resume", action_id=ids.HOME_PULSE_RESUME, value="resume")
        if paused or plan.opted_out
        else ButtonElement(text="Pause", action_id=ids.HOME_PULSE_PAUSE, value="pause")
    )
    forget = ButtonElement(
        text="Forget me",
        action_id=ids.HOME_PULSE_FORGET,
        value="forget",
        style="danger",
        confirm=ConfirmObject(
            title="Forget me?",
            text="Next you'll see exactly what gets deleted, and confirm once more.",
            confirm="Continue",
            deny="Cancel",
        ),
    )
    days = "day" if streak == 1 else "days"
    blocks: list[Block] = [
        DividerBlock(),
        HeaderBlock(text="Your pulse"),
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*Last 30 days:* {trend_line(scores, pulse_days=pulse_days)}\n"
                f"{len(answered)} of {len(pulse_days)} answered{average} · "
                f"🔥 Streak: {streak} {days}"
            )
        ),
        ContextBlock(
            elements=[MarkdownTextObject(text=status_line(plan, today=today, next_at=next_at))]
        ),
        ActionsBlock(
            block_id=ids.HOME_PULSE_BLOCK,
            elements=[
                toggle,
                ButtonElement(text="Settings", action_id=ids.HOME_PULSE_SETTINGS, value="s"),
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
