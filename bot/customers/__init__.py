"""Customers: `/cx customer NAME` (the backstory timeline, paged) and follow-ups' "Done"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import N_

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Add `/cx customer`, the timeline's "More" and the follow-up DM's "Done"."""
    from bot.core import ids
    from handlers import customers

    parts.commands.add(
        "customer",
        customers.handle_customer_command,
        usage=N_("customer NAME"),
        summary=N_("a customer's backstory timeline: every moment, newest first"),
        order=25,
    )
    parts.app.action(ids.CUSTOMER_MORE)(customers.handle_more)
    parts.app.action(ids.FOLLOWUP_DONE)(customers.handle_done)
