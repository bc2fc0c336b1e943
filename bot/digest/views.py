"""The weekly digest as Block Kit, the eNPS and second-question lines it shares with the
lead's App Home, and the "Add digest channel" modal (pushed over the `/cx admin` modal)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
)

from bot.admin.store import WEEKDAY_NAMES
from bot.core import ids
from bot.core.modals import modal
from bot.core.redact import redact
from bot.core.text import escape, header_text, truncate
from bot.core.weeks import iso_week_label
from bot.digest.store import DigestData, DigestQuestions, Story
from bot.insights.questions import QuestionResult
from bot.insights.teamweeks import TeamWeek
from bot.moments.sentiment import sentiment_label
from bot.outcomes.store import CustomerQuote, rating_label
from bot.stories.views import telling_lines

STORY_CHARS = 400


def withheld_reason(threshold: int, *, besides_you: bool = False) -> str:
    """Why a mood figure is not shown (to someone in the group: not counting themselves)."""
    return f"fewer than {threshold} people {'besides you ' if besides_you else ''}answered"


def mood_line(
    week: TeamWeek | None, previous: TeamWeek | None, threshold: int, *, besides_you: bool = False
) -> str:
    """Mean mood, respondents, participation and the trend against the week before."""
    if week is None or week.mean_mood is None:
        reason = withheld_reason(threshold, besides_you=besides_you)
        return f"Mood withheld: {reason} this week (or a smaller group could be worked out)."
    line = f"Mean mood *{week.mean_mood:.1f}*/5 from {week.respondents} people"
    if week.participation is not None:
        line += f" (participation {week.participation:.0%})"
    if previous is None or previous.mean_mood is None:
        reason = withheld_reason(threshold, besides_you=besides_you)
        return line + f". No trend: last week {reason}."
    delta = week.mean_mood - previous.mean_mood
    arrow = "↑" if delta > 0.05 else "↓" if delta < -0.05 else "→"
    return line + f", {arrow} {delta:+.1f} vs last week ({previous.mean_mood:.1f})."


def _sentiment(mean: float, by_outcome: Mapping[str, float]) -> str:
    line = f"stories read {sentiment_label(mean)} ({mean:+.2f}"
    parts = [
        f"{label} {by_outcome[outcome]:+.2f}"
        for outcome, label in (("win", "wins"), ("problem", "problems"))
        if outcome in by_outcome
    ]
    return line + ("; " + ", ".join(parts) if parts else "") + ")"


def moments_line(
    week: TeamWeek | None, by_outcome: Mapping[str, float] | None = None, unscored: int = 0
) -> str:
    """Counts of the week's customer moments, CSAT and the stories' sentiment.

    ``by_outcome`` (mean sentiment of the week's wins and problems) shows whether the
    stories read the way they were logged; ``unscored`` stories (in a language no scorer
    reads) are not in those means, and the line says so.
    """
    if week is None or week.moments == 0:
        return "No customer moments were logged this week. Log one with `/cx moment`."
    neutral = week.moments - week.wins - week.problems
    line = (
        f"{week.moments} customer moments: {week.wins} wins, {neutral} neutral, "
        f"{week.problems} problems"
    )
    if week.mean_csat is not None:
        line += f" · mean CSAT {week.mean_csat:.1f}/5"
    if week.mean_sentiment is not None:
        line += " · " + _sentiment(week.mean_sentiment, by_outcome or {})
    if unscored:
        story = "story" if unscored == 1 else "stories"
        line += f" · {unscored} {story} not scored: language not supported"
    return line + "."


def customers_line(week: TeamWeek | None) -> str:
    """What customers themselves said in the help desk: ratings, satisfaction, NPS."""
    if week is None or not week.customer_responses:
        return "No customer ratings from the help desk this week."
    n = week.customer_responses
    line = f"{n} customer rating{'s' if n != 1 else ''}"
    if week.customer_csat is not None:
        line += f" · CSAT *{week.customer_csat:.1f}*/5"
    if week.customer_nps is not None:
        line += f" · NPS *{week.customer_nps:+.0f}*"
    return line + "."


def _customer_quote(quote: CustomerQuote) -> str:
    who = escape(redact(quote.customer)) if quote.customer else "A customer"
    text = escape(truncate(redact(quote.comment), STORY_CHARS)).replace("\n", " ")
    return f"> {text}\n— {who}, {rating_label(quote.kind, quote.score)}"


def _quote(story: Story) -> str:
    told = redact(story.what_happened)
    lines = [f"*{escape(story.customer)}*: {escape(truncate(told, STORY_CHARS))}"]
    if story.backstory.strip():
        lines.append(f"_Backstory:_ {escape(truncate(redact(story.backstory), STORY_CHARS))}")
    return "\n".join("> " + part for line in lines for part in line.splitlines())


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=truncate(text, 3000)))


def question_sections(
    questions: DigestQuestions, threshold: int, *, besides_you: bool = False
) -> list[SectionBlock]:
    """eNPS (monthly edition only) and the closed week's second questions."""
    sections = []
    if questions.month is not None:
        enps = enps_line(
            questions.enps, month=questions.month, threshold=threshold, besides_you=besides_you
        )
        sections.append(_section(enps))
    weekly = questions_text(
        questions.weekly, week=questions.week, threshold=threshold, besides_you=besides_you
    )
    sections.append(_section(weekly))
    return sections


def build_digest_blocks(
    data: DigestData, *, preview: bool = False, questions: DigestQuestions | None = None
) -> list[dict[str, Any]]:
    """The digest message: mood, questions, moments, two stories, celebrations, the flow-on."""
    week = data.this_week
    blocks: list[Block] = [
        # plain_text: shown as is (a team called "R&D" escaped would show as "R&amp;D").
        HeaderBlock(
            text=truncate(
                f"CX Pulse weekly: {header_text(data.scope)}, {iso_week_label(data.week_start)}",
                150,
            )
        ),
        _section(
            "*How the team felt*\n"
            + mood_line(week, data.last_week, data.threshold, besides_you=data.viewer_in_group)
        ),
        *(
            question_sections(questions, data.threshold, besides_you=data.viewer_in_group)
            if questions
            else []
        ),
        _section(
            "*Customer moments*\n"
            + moments_line(week, data.sentiment_by_outcome, data.unscored_stories)
        ),
        _section("*What customers said*\n" + customers_line(week)),
    ]
    if data.customer_quotes:
        quotes = "\n".join(_customer_quote(q) for q in data.customer_quotes)
        blocks.append(_section("*From the help desk, in customers' words*\n" + quotes))
    if data.win_story:
        blocks.append(_section("*A win* :trophy:\n" + _quote(data.win_story)))
    if data.problem_story:
        blocks.append(_section("*A problem to learn from*\n" + _quote(data.problem_story)))
    if data.own_words:
        customer, telling = data.own_words
        heading = f"*In their own words* — {escape(truncate(customer, 200))}\n"
        blocks.append(_section(heading + telling_lines(telling, limit=STORY_CHARS)))
    celebrations = week.celebrations if week else 0
    line = f"{celebrations} celebration{'s' if celebrations != 1 else ''} this week"
    if data.top_values:
        line += "; top values: " + ", ".join(
            f"#{escape(value)} ({n})" for value, n in data.top_values
        )
    blocks.append(_section("*Celebrations*\n" + line + "."))
    blocks.append(_section("*Flow-on*\n" + escape(data.finding.summary)))
    if data.storyteller:
        blocks.append(
            _section(
                f"*{escape(data.storyteller.customer)}* would tell their own story: "
                "invite them to the next all-hands."
            )
        )
    blocks.append(DividerBlock())
    note = (
        f"Only aggregates of at least {data.threshold} people are shown. "
        "The flow-on finding is an association, not proof of a cause."
    )
    if preview:
        note = "Preview: only you can see this; the chart comes with the posted digest. " + note
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    return [b.to_dict() for b in blocks]


def digest_text(data: DigestData) -> str:
    """Plain-text fallback for notifications."""
    return (
        f"CX Pulse weekly digest for {escape(data.scope)}, {iso_week_label(data.week_start)}: "
        + mood_line(
            data.this_week, data.last_week, data.threshold, besides_you=data.viewer_in_group
        ).replace("*", "")
    )


def value_text(result: QuestionResult) -> str:
    """The figure as people read it: "+50", "83% yes", "4.2/5"."""
    kind = result.question.kind
    if kind == "nps":
        return f"{result.value:+.0f}"
    if kind == "yes_no":
        return f"{result.value:.0f}% yes"
    return f"{result.value:.1f}/5"


def change_text(result: QuestionResult, before: str) -> str:
    """The change on the previous period, or why there is none."""
    change = result.change
    if change is None:
        return f"no change shown: {before} was withheld or not asked"
    kind = result.question.kind
    if kind == "nps":
        return f"{change:+.0f} vs {before}"
    if kind == "yes_no":
        return f"{change:+.0f} points vs {before}"
    return f"{change:+.1f} vs {before}"


def _people(threshold: int, besides_you: bool) -> str:
    return f"{threshold} people {'besides you ' if besides_you else ''}"


def enps_line(
    result: QuestionResult | None, *, month: date, threshold: int, besides_you: bool = False
) -> str:
    """eNPS for one closed month, or why it is withheld."""
    title = f"eNPS, {month:%B %Y}"
    if result is None:
        people = _people(threshold, besides_you)
        return f"{title}: withheld (fewer than {people}answered, or it was not asked)."
    previous = (month.replace(day=1) - date.resolution).replace(day=1)
    return (
        f"{title}: *{value_text(result)}* from {result.respondents} people "
        f"({change_text(result, f'{previous:%B}')}). "
        "eNPS is the % answering 9–10 minus the % answering 0–6."
    )


def questions_text(
    results: Sequence[QuestionResult], *, week: date, threshold: int, besides_you: bool = False
) -> str:
    """The week's second questions, one line each, or why none are shown."""
    title = f"*Second questions, {iso_week_label(week)}*"
    if not results:
        return (
            f"{title}\nNone to show: each was withheld (fewer than "
            f"{_people(threshold, besides_you)}answered) or not asked."
        )
    lines = [
        f"• {escape(r.question.text)} *{value_text(r)}* from {r.respondents} people "
        f"({change_text(r, 'last week')})"
        for r in results
    ]
    return title + "\n" + "\n".join(lines)


# The scope option meaning "no one team" (option values are otherwise team ids).
WHOLE_WORKSPACE_OPTION = "workspace"


def build_digest_channel_view(
    *, teams: Sequence[tuple[int, str]], timezone: str, parent_view_id: str
) -> dict[str, Any]:
    """The "Add digest channel" modal, pushed over the settings modal."""
    whole = Option(value=WHOLE_WORKSPACE_OPTION, text="The whole workspace")
    scopes = [whole, *(Option(value=str(i), text=truncate(n, 75)) for i, n in teams[:99])]
    days = [Option(value=str(i), text=name) for i, name in enumerate(WEEKDAY_NAMES)]
    return modal(
        ids.ADMIN_DIGEST_VIEW,
        "Add digest channel",
        submit="Add",
        close="Back",
        private_metadata=parent_view_id,
        blocks=[
            InputBlock(
                block_id=ids.DIGEST_CHANNEL,
                label="Channel",
                element=ConversationSelectElement(
                    action_id=ids.DIGEST_CHANNEL,
                    placeholder="Pick a channel",
                    filter=ConversationFilter(
                        include=["public", "private"], exclude_bot_users=True
                    ),
                ),
            ),
            InputBlock(
                block_id=ids.DIGEST_SCOPE,
                label="Covers",
                element=StaticSelectElement(
                    action_id=ids.DIGEST_SCOPE, options=scopes, initial_option=whole
                ),
            ),
            InputBlock(
                block_id=ids.DIGEST_WEEKDAY,
                label="Day",
                element=StaticSelectElement(
                    action_id=ids.DIGEST_WEEKDAY, options=days, initial_option=days[0]
                ),
            ),
            InputBlock(
                block_id=ids.DIGEST_TIME,
                label="Local time",
                element=TimePickerElement(action_id=ids.DIGEST_TIME, initial_time="09:00"),
            ),
            InputBlock(
                block_id=ids.DIGEST_TIMEZONE,
                label="Time zone",
                hint="A tz database name, e.g. Europe/London",
                element=PlainTextInputElement(
                    action_id=ids.DIGEST_TIMEZONE, initial_value=timezone, max_length=64
                ),
            ),
        ],
    )
