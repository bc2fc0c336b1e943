"""The App Home view frame."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.core.apology import HOME_UNAVAILABLE
from bot.core.i18n import ENGLISH, Translator
from bot.core.ids import HOME_REFRESH

MAX_HOME_BLOCKS = 100  # Slack's limit for a Home tab view


def build_home_view(
    sections: list[dict[str, Any]], *, threshold: int, t: Translator = ENGLISH
) -> dict[str, Any]:
    """Wrap feature sections in the App Home frame, within Slack's block limit."""
    intro = [
        HeaderBlock(text="CX Pulse").to_dict(),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t.gettext(
                        "How you feel flows on to how customers are treated. Your answers are "
                        "private; teams only see aggregates of %(threshold)s or more people.",
                        threshold=threshold,
                    )
                )
            ]
        ).to_dict(),
    ]
    # The sections are already validated dicts; View(...).to_dict() would parse them back
    # into objects and validate everything again on every publish.
    return {"type": "home", "blocks": (intro + sections)[:MAX_HOME_BLOCKS]}


def build_home_unavailable_view(t: Translator = ENGLISH) -> dict[str, Any]:
    """The Home shown when it cannot be built (e.g. the database is briefly away)."""
    retry = ButtonElement(text=t.gettext("Try again"), action_id=HOME_REFRESH, value="refresh")
    blocks = [
        HeaderBlock(text="CX Pulse").to_dict(),
        SectionBlock(text=MarkdownTextObject(text=t.gettext(HOME_UNAVAILABLE))).to_dict(),
        ActionsBlock(elements=[retry]).to_dict(),
    ]
    return View(type="home", blocks=blocks).to_dict()
