"""The person's own pulse on App Home: the 30-day trend, streak, status and the buttons
that open the settings modals (bot/settings/views.py).

Every text is in the reader's language (``t``, bot/core/i18n.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.core import ids
from bot.core.i18n import ENGLISH, Translator
from bot.core.text import escape
from bot.pulse.schedule import PulsePlan, zone
from bot.pulse.views import EMOJI

NO_ANSWER = "▫️"


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
