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
from bot.digest.lines import signed
from bot.digest.views import (
    customers_line,
    enps_line,
    moments_line,
    mood_line,
    questions_text,
)
from bot.digest.views import scope_name as shown_scope
from bot.home.chart import CHART_WEEKS, ChartRef
from bot.home.store import LeadQuestions, LeadView
from bot.insights.experience_gap import ExperienceGap
from bot.insights.flowon_words import finding_summary


def gap_line(gap: ExperienceGap, threshold: int, t: Translator = ENGLISH) -> str:
    """Leads' belief beside customers' CSAT for the month, in ``t``'s language."""
    heading = t.gettext("*Experience gap, %(month)s*", month=t.month(gap.month))
    if gap.leads_mean is not None:
        belief = t.gettext(
            "Leads guessed customers would rate you *%(score)s*/5",
            score=t.number(gap.leads_mean, decimals=1),
        )
    elif gap.own_guess is not None:
        belief = t.gettext(
            "You guessed customers would rate you *%(score)s*/5 "
            "(the leads' average shows once %(n)s leads have answered)",
            score=t.number(gap.own_guess),
            n=t.number(threshold),
        )
    else:
        belief = t.gettext(
            "No lead guesses yet (fewer than %(n)s leads answered)", n=t.number(threshold)
        )
    if gap.customer_rating is not None:
        values = {"belief": belief, "rating": t.number(gap.customer_rating, decimals=1)}
        if gap.customer_nps is not None:
            said = t.ngettext(
                "%(belief)s; customers themselves rated you *%(rating)s*/5 "
                "(%(n)s customer rating from the help desk, NPS *%(nps)s*).",
                "%(belief)s; customers themselves rated you *%(rating)s*/5 "
                "(%(n)s customer ratings from the help desk, NPS *%(nps)s*).",
                gap.customer_responses,
                nps=signed(t, gap.customer_nps, 0),
                **values,
            )
        else:
            said = t.ngettext(
                "%(belief)s; customers themselves rated you *%(rating)s*/5 "
                "(%(n)s customer rating from the help desk).",
                "%(belief)s; customers themselves rated you *%(rating)s*/5 "
                "(%(n)s customer ratings from the help desk).",
                gap.customer_responses,
                **values,
            )
        return f"{heading}\n{said}"
    if gap.customers_csat is None:
        said = t.gettext("%(belief)s; no customer CSAT recorded yet.", belief=belief)
        return f"{heading}\n{said}"
    said = t.ngettext(
        "%(belief)s; customers gave *%(csat)s*/5 over %(n)s rated moment (staff-typed; "
        "connect the help desk for customers' own ratings).",
        "%(belief)s; customers gave *%(csat)s*/5 over %(n)s rated moments (staff-typed; "
        "connect the help desk for customers' own ratings).",
        gap.csat_count,
        belief=belief,
        csat=t.number(gap.customers_csat, decimals=1),
    )
    return f"{heading}\n{said}"


# A section holds 3,000 characters: the heading, the quoted notes, and a line for the rest.
NOTES_ROOM = 2800


def _notes(notes: list[str], t: Translator) -> str:
    """As many notes as fit one section, each quoted; then how many more there are."""
    lines: list[str] = []
    used = 0
    for note in notes:
        line = f"> {escape(truncate(note, 300))}"
        if used + len(line) + 1 > NOTES_ROOM:
            lines.append(
                t.ngettext(
                    "_…and %(n)s more: `/cx notes` lists them all._",
                    "_…and %(n)s more: `/cx notes` lists them all._",
                    len(notes) - len(lines),
                )
            )
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines)


def _heading(title: str, body: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=truncate(f"*{title}*\n{body}", 3000)))


def build_lead_home_blocks(view: LeadView, t: Translator = ENGLISH) -> list[dict[str, Any]]:
    """Blocks for a lead, in ``t``'s language: nothing below the anonymity threshold, no
    names, no days. The week is named by its Monday ("Week of 6 April"): read by people, it
    is no identifier."""
    week = view.this_week
    scope = shown_scope(view.scope, t)
    blocks: list[Block] = [
        DividerBlock(),
        # plain_text: shown as is, so not escaped (an escaped "&" would show as "&amp;").
        HeaderBlock(
            text=truncate(t.gettext("Your team: %(scope)s", scope=header_text(scope)), 150)
        ),
        SectionBlock(
            text=MarkdownTextObject(
                text=t.gettext("*Week of %(day)s*", day=t.day_of_month(view.week_start))
                + "\n"
                + mood_line(
                    week, view.last_week, view.threshold, besides_you=view.viewer_in_group, t=t
                )
                + "\n"
                + moments_line(week, t=t)
                + "\n"
                + customers_line(week, t=t)
            )
        ),
    ]
    if view.notes:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=t.gettext("*What people noted (anonymous)*") + "\n" + _notes(view.notes, t)
                )
            )
        )
    blocks.append(_heading(t.gettext("Flow-on"), escape(finding_summary(view.finding, t))))
    blocks.append(SectionBlock(text=MarkdownTextObject(text=gap_line(view.gap, view.threshold, t))))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t.gettext(
                        "Only aggregates of at least %(n)s people are shown; notes only when "
                        "that many wrote one, without names or days. "
                        "`/cx digest` previews the weekly digest.",
                        n=t.number(view.threshold),
                    )
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
    t: Translator = ENGLISH,
) -> list[dict[str, Any]]:
    """Chart (an image of a private Slack file, with alt text), eNPS, second questions, in
    ``t``'s language."""
    shown = truncate(shown_scope(scope, t), 100)
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=t.ngettext(
                    "*%(scope)s: the last %(n)s closed week*",
                    "*%(scope)s: the last %(n)s closed weeks*",
                    CHART_WEEKS,
                    scope=escape(shown),
                )
            )
        )
    ]
    if chart.file_id:
        blocks.append(
            ImageBlock(
                block_id=CHART_BLOCK,
                slack_file=SlackFile(id=chart.file_id),
                alt_text=chart.alt_text,
                title=t.gettext(
                    "%(scope)s: mood, participation and customer outcomes", scope=shown
                ),
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
                    t=t,
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
                        t=t,
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
