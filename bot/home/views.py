"""App Home blocks: the view frame, the lead's section (team aggregates, notes, the
flow-on finding, the gap) and the lead's insights (the 12-week chart, eNPS, questions)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    ImageBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.blocks.basic_components import SlackFile
from slack_sdk.models.views import View

from bot.core.apology import HOME_UNAVAILABLE
from bot.core.i18n import ENGLISH, Translator
from bot.core.ids import HOME_REFRESH
from bot.core.text import escape, header_text, truncate
from bot.core.weeks import iso_week_label
from bot.digest.views import (
    customers_line,
    enps_line,
    moments_line,
    mood_line,
    questions_text,
    withheld_reason,
)
from bot.home.chart import CHART_WEEKS, ChartRef
from bot.home.store import LeadQuestions, LeadView
from bot.insights.experience_gap import ExperienceGap


def gap_line(gap: ExperienceGap, threshold: int) -> str:
    """Leads' belief beside customers' CSAT for the month."""
    month = gap.month.strftime("%B %Y")
    if gap.leads_mean is not None:
        belief = f"Leads guessed customers would rate you *{gap.leads_mean:.1f}*/5"
    elif gap.own_guess is not None:
        belief = (
            f"You guessed customers would rate you *{gap.own_guess}*/5 "
            f"(the leads' average shows once {threshold} leads have answered)"
        )
    else:
        belief = f"No lead guesses yet ({withheld_reason(threshold).replace('people', 'leads')})"
    if gap.customer_rating is not None:
        n = gap.customer_responses
        said = (
            f"customers themselves rated you *{gap.customer_rating:.1f}*/5 "
            f"({n} customer rating{'s' if n != 1 else ''} from the help desk"
        )
        if gap.customer_nps is not None:
            said += f", NPS *{gap.customer_nps:+.0f}*"
        return f"*Experience gap, {month}*\n{belief}; {said})."
    if gap.customers_csat is None:
        return f"*Experience gap, {month}*\n{belief}; no customer CSAT recorded yet."
    return (
        f"*Experience gap, {month}*\n{belief}; customers gave *{gap.customers_csat:.1f}*/5 "
        f"over {gap.csat_count} rated moments (staff-typed; connect the help desk for "
        "customers' own ratings)."
    )


# A section holds 3,000 characters: the heading, the quoted notes, and a line for the rest.
NOTES_ROOM = 2800


def _notes(notes: list[str]) -> str:
    """As many notes as fit one section, each quoted; then how many more there are."""
    lines: list[str] = []
    used = 0
    for note in notes:
        line = f"> {escape(truncate(note, 300))}"
        if used + len(line) + 1 > NOTES_ROOM:
            lines.append(f"_…and {len(notes) - len(lines)} more: `/cx notes` lists them all._")
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines)


def build_lead_home_blocks(view: LeadView) -> list[dict[str, Any]]:
    """Blocks for a lead: nothing below the anonymity threshold, no names, no days."""
    week = view.this_week
    blocks: list[Block] = [
        DividerBlock(),
        # plain_text: shown as is, so not escaped (an escaped "&" would show as "&amp;").
        HeaderBlock(text=truncate(f"Your team: {header_text(view.scope)}", 150)),
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*Week {iso_week_label(view.week_start)}*\n"
                + mood_line(week, view.last_week, view.threshold, besides_you=view.viewer_in_group)
                + "\n"
                + moments_line(week)
                + "\n"
                + customers_line(week)
            )
        ),
    ]
    if view.notes:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text="*What people noted (anonymous)*\n" + _notes(view.notes)
                )
            )
        )
    blocks.append(
        SectionBlock(text=MarkdownTextObject(text="*Flow-on*\n" + escape(view.finding.summary)))
    )
    blocks.append(SectionBlock(text=MarkdownTextObject(text=gap_line(view.gap, view.threshold))))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"Only aggregates of at least {view.threshold} people are shown; notes "
                    "only when that many wrote one, without names or days. "
                    "`/cx digest` previews the weekly digest."
                )
            ]
        )
    )
    return [b.to_dict() for b in blocks]


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
