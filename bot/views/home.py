"""The App Home view frame."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject
from slack_sdk.models.views import View

MAX_HOME_BLOCKS = 100  # Slack's limit for a Home tab view


def build_home_view(sections: list[dict[str, Any]]) -> dict[str, Any]:
    """Wrap feature sections in the App Home frame, within Slack's block limit."""
    intro = [
        HeaderBlock(text="CX Pulse").to_dict(),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="How you feel flows on to how customers are treated. "
                    "Your answers are private; teams only see aggregates of 5 or more."
                )
            ]
        ).to_dict(),
    ]
    blocks = (intro + sections)[:MAX_HOME_BLOCKS]
    return View(type="home", blocks=blocks).to_dict()
