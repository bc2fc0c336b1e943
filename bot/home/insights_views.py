"""The lead's App Home insights: the 12-week chart, eNPS and the week's second questions."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    ImageBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.blocks.basic_components import SlackFile

from bot.core.text import escape, truncate
from bot.digest.question_views import enps_line, questions_text
from bot.home.chart_delivery import ChartRef
from bot.home.lead_chart import CHART_WEEKS, LeadQuestions

CHART_BLOCK = "lead_chart"


def build_lead_insights_blocks(
    *,
    scope: str,
    chart: ChartRef,
    questions: LeadQuestions,
    threshold: int,
    besides_you: bool = False,
) -> list[dict[str, Any]]:
    """Chart (an image of a private Slack file, with alt text), eNPS, second questions."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*{escape(truncate(scope, 100))}: the last {CHART_WEEKS} closed weeks*"
            )
        )
    ]
    if chart.file_id:
        blocks.append(
            ImageBlock(
                block_id=CHART_BLOCK,
                slack_file=SlackFile(id=chart.file_id),
                alt_text=chart.alt_text,
                title=f"{truncate(scope, 100)}: mood, participation and customer outcomes",
            )
        )
    else:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=chart.note or "")]))
    blocks.append(
        SectionBlock(
            text=MarkdownTextObject(
                text=enps_line(
                    questions.enps,
                    month=questions.month,
                    threshold=threshold,
                    besides_you=besides_you,
                )
            )
        )
    )
    blocks.append(
        SectionBlock(
            text=MarkdownTextObject(
                text=truncate(
                    questions_text(
                        questions.weekly,
                        week=questions.week,
                        threshold=threshold,
                        besides_you=besides_you,
                    ),
                    3000,
                )
            )
        )
    )
    return [b.to_dict() for b in blocks]
