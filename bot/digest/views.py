"""The weekly digest as Block Kit, in the channel's language (``t``). The sentences live in
bot/digest/lines.py; the "Add digest channel" modal in bot/admin/digest_modal.py."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.core.i18n import ENGLISH, Translator
from bot.core.redact import redact
from bot.core.text import escape, header_text, truncate
from bot.digest.lines import (
    customers_line,
    enps_line,
    moments_line,
    mood_line,
    questions_text,
    withheld_reason,
)
from bot.digest.store import DigestData, DigestQuestions, Story
from bot.insights.flowon_words import finding_summary
from bot.insights.teamweeks import WHOLE_WORKSPACE
from bot.outcomes.store import CustomerQuote, rating_label
from bot.stories.views import telling_lines

# Shared with the lead's App Home, which imports them from here.
__all__ = [
    "build_digest_blocks",
    "customers_line",
    "digest_text",
    "enps_line",
    "moments_line",
    "mood_line",
    "question_sections",
    "questions_text",
    "withheld_reason",
]

STORY_CHARS = 400


def _rating(kind: str, score: float, t: Translator) -> str:
    if kind == "thumbs":
        return t.gettext("thumbs up") if score >= 1 else t.gettext("thumbs down")
    return rating_label(kind, score)


def _customer_quote(quote: CustomerQuote, t: Translator) -> str:
    who = escape(redact(quote.customer)) if quote.customer else t.gettext("A customer")
    text = escape(truncate(redact(quote.comment), STORY_CHARS)).replace("\n", " ")
    return f"> {text}\n— {who}, {_rating(quote.kind, quote.score, t)}"


def _quote(story: Story, t: Translator) -> str:
    told = redact(story.what_happened)
    lines = [f"*{escape(story.customer)}*: {escape(truncate(told, STORY_CHARS))}"]
    if story.backstory.strip():
        backstory = escape(truncate(redact(story.backstory), STORY_CHARS))
        lines.append(t.gettext("_Backstory:_ %(backstory)s", backstory=backstory))
    return "\n".join("> " + part for line in lines for part in line.splitlines())


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=truncate(text, 3000)))


def question_sections(
    questions: DigestQuestions,
    threshold: int,
    *,
    besides_you: bool = False,
    t: Translator = ENGLISH,
) -> list[SectionBlock]:
    """eNPS (monthly edition only) and the closed week's second questions."""
    sections = []
    if questions.month is not None:
        enps = enps_line(
            questions.enps,
            month=questions.month,
            threshold=threshold,
            besides_you=besides_you,
            t=t,
        )
        sections.append(_section(enps))
    weekly = questions_text(
        questions.weekly, week=questions.week, threshold=threshold, besides_you=besides_you, t=t
    )
    sections.append(_section(weekly))
    return sections


def scope_name(scope: str, t: Translator = ENGLISH) -> str:
    """A team's own name as is; the whole workspace in the reader's language."""
    return t.gettext(WHOLE_WORKSPACE) if scope == WHOLE_WORKSPACE else scope


def _heading(title: str, body: str) -> SectionBlock:
    return _section(f"*{title}*\n{body}")


def _celebrations(data: DigestData, t: Translator) -> str:
    count = data.this_week.celebrations if data.this_week else 0
    line = t.ngettext("%(n)s celebration this week", "%(n)s celebrations this week", count)
    if data.top_values:
        values = ", ".join(f"#{escape(value)} ({t.number(n)})" for value, n in data.top_values)
        line = t.gettext(
            "%(celebrations)s; top values: %(values)s", celebrations=line, values=values
        )
    return line + "."


def build_digest_blocks(
    data: DigestData,
    *,
    preview: bool = False,
    questions: DigestQuestions | None = None,
    t: Translator = ENGLISH,
) -> list[dict[str, Any]]:
    """The digest message: mood, questions, moments, two stories, celebrations, the flow-on.
    Its week is named by its Monday ("week of 9 March"), as on the lead's App Home."""
    week = data.this_week
    besides_you = data.viewer_in_group
    title = t.gettext(
        "CX Pulse weekly: %(scope)s, week of %(day)s",
        scope=header_text(scope_name(data.scope, t)),
        day=t.day_of_month(data.week_start),
    )
    blocks: list[Block] = [
        # plain_text: shown as is (a team called "R&D" escaped would show as "R&amp;D").
        HeaderBlock(text=truncate(title, 150)),
        _heading(
            t.gettext("How the team felt"),
            mood_line(week, data.last_week, data.threshold, besides_you=besides_you, t=t),
        ),
        *(
            question_sections(questions, data.threshold, besides_you=besides_you, t=t)
            if questions
            else []
        ),
        _heading(
            t.gettext("Customer moments"),
            moments_line(week, data.sentiment_by_outcome, data.unscored_stories, t=t),
        ),
        _heading(t.gettext("What customers said"), customers_line(week, t=t)),
    ]
    if data.customer_quotes:
        quotes = "\n".join(_customer_quote(q, t) for q in data.customer_quotes)
        blocks.append(_heading(t.gettext("From the help desk, in customers' words"), quotes))
    if data.win_story:
        win = "*" + t.gettext("A win") + "* :trophy:\n"
        blocks.append(_section(win + _quote(data.win_story, t)))
    if data.problem_story:
        blocks.append(_heading(t.gettext("A problem to learn from"), _quote(data.problem_story, t)))
    if data.own_words:
        customer, telling = data.own_words
        heading = t.gettext(
            "*In their own words* — %(customer)s", customer=escape(truncate(customer, 200))
        )
        blocks.append(_section(heading + "\n" + telling_lines(telling, limit=STORY_CHARS)))
    blocks.append(_heading(t.gettext("Celebrations"), _celebrations(data, t)))
    blocks.append(_heading(t.gettext("Flow-on"), escape(finding_summary(data.finding, t))))
    if data.storyteller:
        blocks.append(
            _section(
                t.gettext(
                    "*%(customer)s* would tell their own story: invite them to the next all-hands.",
                    customer=escape(data.storyteller.customer),
                )
            )
        )
    blocks.append(DividerBlock())
    note = t.gettext(
        "Only aggregates of at least %(n)s people are shown. "
        "The flow-on finding is an association, not proof of a cause.",
        n=t.number(data.threshold),
    )
    if preview:
        note = (
            t.gettext("Preview: only you can see this; the chart comes with the posted digest.")
            + " "
            + note
        )
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    return [b.to_dict() for b in blocks]


def digest_text(data: DigestData, t: Translator = ENGLISH) -> str:
    """Plain-text fallback for notifications."""
    mood = mood_line(
        data.this_week, data.last_week, data.threshold, besides_you=data.viewer_in_group, t=t
    )
    return t.gettext(
        "CX Pulse weekly digest for %(scope)s, week of %(day)s: %(mood)s",
        scope=escape(scope_name(data.scope, t)),
        day=t.day_of_month(data.week_start),
        mood=mood.replace("*", ""),
    )
