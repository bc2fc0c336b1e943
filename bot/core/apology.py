"""Every apology the app makes when something fails on our side: one voice, one place."""

from __future__ import annotations

from typing import Any

from bot.core.i18n import N_
from bot.core.ids import SORRY_VIEW
from bot.core.modals import text_modal

# msgids: translated for the reader where they are sent (bot/core/i18n.py).
SORRY = N_(
    "Sorry, something went wrong on our side. Nothing you entered was lost; please try again."
)
HOME_UNAVAILABLE = N_(
    "Sorry, your Home can't be loaded right now. Nothing you entered was lost; "
    "please try again in a minute."
)


def couldnt_open(what: str) -> str:
    """The apology when a form (a modal) could not be opened."""
    return f"Sorry, I couldn't open {what}. Please try again."


def build_sorry_modal() -> dict[str, Any]:
    """What a modal turns into when something failed on our side."""
    return text_modal("Sorry", SORRY, callback_id=SORRY_VIEW, close="Close")
