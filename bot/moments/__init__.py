"""Customer moments: what happened, the customer's backstory, the outcome, follow-ups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import N_

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Wire `/cx moment`, the shortcut, the modal and the follow-up job."""
    from bot.core import ids
    from bot.moments import jobs
    from handlers import moments

    parts.commands.add(
        "moment",
        moments.handle_moment_command,
        usage=N_("moment [text]"),
        summary=N_("log a customer moment (what happened, their backstory, the outcome)"),
        order=20,
    )
    parts.home.add(moments.HOME_ORDER, moments.moments_home_section)
    parts.app.message_shortcut(ids.MOMENT_SHORTCUT)(moments.handle_shortcut)
    parts.app.action(ids.HOME_LOG_MOMENT)(moments.handle_home_button)
    parts.app.action(ids.MOMENT_CHANGE_OUTCOME)(moments.handle_change_outcome)
    parts.app.view(ids.MOMENT_MODAL)(moments.handle_submission)
    parts.jobs.add(jobs.send_due_followups)
