"""Every view builder, fed boundary inputs, makes Block Kit that Slack accepts as it is.

Longest texts the app lets through, 100 customers, 30 people, and non-ASCII (a 533-character
Japanese text: each character is six once JSON-escaped). Views built from database rows
(digest, lead Home, admin) are checked on every payload the e2e tests send
(tests/e2e/conftest.py), since their inputs are bounded by the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from bot.admin.digest_modal import build_digest_channel_view
from bot.admin.views import DigestRow, UserGroup, build_admin_view
from bot.celebrations.parse import MAX_PEOPLE, MAX_REASON_CHARS
from bot.celebrations.store import LinkedMoment, parse_celebration
from bot.celebrations.suggestion_views import build_refusal, build_suggestion_dm
from bot.celebrations.views import (
    build_celebrate_modal,
    build_celebrated_dm,
    build_celebration_post,
)
from bot.core.apology import build_sorry_modal
from bot.core.help import build_help_blocks
from bot.customers.store import TimelineEntry, TimelinePage
from bot.customers.views import (
    build_customer_usage_blocks,
    build_followup_blocks,
    build_followup_done_blocks,
    build_timeline_blocks,
    build_unknown_customer_blocks,
)
from bot.digest.store import DigestData, Story
from bot.digest.views import build_digest_blocks
from bot.home.store import LeadView
from bot.home.views import build_home_unavailable_view, build_home_view, build_lead_home_blocks
from bot.insights.experience_gap import ExperienceGap
from bot.insights.flowon import FlowOnFinding
from bot.moments.logged_views import LoggedMoment, build_confirmation
from bot.moments.logged_views import build_home_section as build_moments_home_section
from bot.moments.store import TEXT_MAX, DueFollowup
from bot.moments.views import ModalOrigin, build_moment_modal
from bot.notes.store import VisibleNote
from bot.notes.views import (
    MAX_REPLY,
    build_answer_modal,
    build_author_dm,
    build_lead_dm,
    build_notes_blocks,
    build_reply_modal,
    build_sent_view,
)
from bot.pulse.questions import Question
from bot.pulse.schedule import PulsePlan
from bot.pulse.views import build_pulse_blocks
from bot.settings.home_views import build_home_section as build_pulse_home_section
from bot.settings.store import ForgetReport
from bot.settings.views import (
    build_forget_done_modal,
    build_forget_modal,
    build_note_modal,
    build_pause_modal,
    build_settings_modal,
)
from bot.stories.store import TELLING_MAX, Telling
from bot.stories.views import build_link_blocks
from bot.workspace.config import DigestChannel, WorkspaceConfig
from tests.support.blockkit_check import block_problems, view_problems

JAPANESE = ("顧客の話をよく聞き、問題を一緒に解決しました。" * 30)[:533]
# Markup and & < > as typed (no entity typed, so an entity in plain_text is the app's doing).
HOSTILE = "<!channel> & <@U999> <https://evil.example|x> a<b>c " * 40
MAX_ID = 2**31 - 1
PEOPLE = [f"U{n:08d}" for n in range(MAX_PEOPLE)]


@dataclass(frozen=True)
class Entry:
    usage: str
    summary: str


def _problems(build: Callable[[], Any], check: Callable[[Any], list[str]]) -> list[str]:
    try:
        return check(build())
    except Exception as error:  # a builder slack_sdk refuses to build at all
        return [f"not built: {type(error).__name__}: {error}"]


def _texts(limit: int) -> list[str]:
    """The longest inputs of each kind: Japanese, hostile markup, ASCII, many short lines."""
    return [(JAPANESE * 10)[:limit], (HOSTILE * 10)[:limit], ("a" * limit), ("&\n" * limit)[:limit]]


def _celebration(text: str) -> Any:
    mentions = " ".join(f"<@{p}>" for p in PEOPLE)
    return parse_celebration(f"{mentions} for {text[:MAX_REASON_CHARS]}", company_values=("x",))


MOMENT = LinkedMoment(1, JAPANESE[:200], "win", JAPANESE, "U1")


# The finding's sentence is the app's own wording, not typed text.
SUMMARY = "When a team's mood is above its usual level, its customers rate it higher. " * 5
PLAN = PulsePlan("Pacific/Chatham", time(23, 45), frozenset(range(7)), date(2099, 12, 31))


def _telling(text: str) -> Telling:
    return Telling(MAX_ID, 5, text[:TELLING_MAX], text[:TELLING_MAX], False, date(2026, 3, 2))


def _timeline(text: str) -> TimelinePage:
    entry = TimelineEntry(
        MAX_ID,
        date(2026, 3, 1),
        "billing",
        "problem",
        text[:TEXT_MAX],
        text[:TEXT_MAX],
        1,
        -1.0,
        True,
        "U1",
        text[:200],
        "https://sandbox.slack.com/archives/C0SB00001/p1772438400123456",
    )
    return TimelinePage(
        MAX_ID,
        text[:200],
        [entry] * 10,
        10**6,
        10**7,
        {"win": 10**7, "neutral": 10**7, "problem": 10**7},
        4.99,
        10**7,
    )


def _admin(text: str) -> dict[str, Any]:
    config = WorkspaceConfig(
        celebrations_channel=text[:80],
        digest_channels=tuple(DigestChannel(text[:80], text[:80]) for _ in range(20)),
        leads=tuple(PEOPLE),
        admins=tuple(PEOPLE),
        team_groups=tuple(f"S{n:08d}" for n in range(100)),
        timezone="America/Argentina/ComodRivadavia",
        anonymity_threshold=5,
        company_values=tuple(f"value{n}" for n in range(50)),
    )
    groups = [UserGroup(f"S{n:08d}", text[:80], text[:200]) for n in range(150)]
    digests = [DigestRow(n, text[:80], text[:200], 6, "23:59", "UTC") for n in range(20)]
    return build_admin_view(config, groups=groups, digests=digests, digests_managed=True)


def _digest(text: str) -> DigestData:
    story = Story(text[:200], "win", text[:TEXT_MAX], text[:TEXT_MAX], 5)
    finding = FlowOnFinding(results=[], best=None, summary=SUMMARY)
    return DigestData(
        scope="R&D <support> " + text[:200],
        team_id=MAX_ID,
        week_start=date(2026, 3, 2),
        threshold=5,
        this_week=None,
        last_week=None,
        series=[],
        win_story=story,
        problem_story=story,
        top_values=[(text[:64], 10**6)] * 20,
        storyteller=story,
        finding=finding,
    )


def _lead_view(text: str) -> LeadView:
    finding = FlowOnFinding(results=[], best=None, summary=SUMMARY)
    gap = ExperienceGap(date(2026, 2, 1), 4.99, 5, 1.01, 10**6)
    notes = [text[:300]] * 40  # a big team where everyone wrote a long note
    return LeadView("R&D " + text[:200], date(2026, 3, 2), 5, None, None, notes, finding, gap)


def _blocks_cases(text: str) -> list[tuple[str, Callable[[], list[dict[str, Any]]]]]:
    parsed = _celebration(text)
    logged = LoggedMoment(
        MAX_ID,
        text[:200],
        "problem",
        "billing",
        date(2026, 3, 1),
        text[:TEXT_MAX],
        5,
        -1.0,
        date(2026, 3, 9),
    )
    note = VisibleNote(MAX_ID, date(2026, 3, 2), text[:2000])
    question = Question("enps", text[:300], "nps")
    due = DueFollowup(MAX_ID, "U1", text[:200], text[:TEXT_MAX], date(2026, 3, 1), date(2026, 3, 9))
    return [
        # The entries are the router's fixed words; only the unknown word is typed.
        (
            "help",
            lambda: build_help_blocks(
                [Entry("x" * 40, "y" * 120)] * 15, threshold=10**6, unknown_word=text
            ),
        ),
        (
            "celebration post",
            lambda: build_celebration_post(parsed, celebrated_by="U1", moment=MOMENT)[1],
        ),
        (
            "celebrated dm",
            lambda: build_celebrated_dm(parsed, celebrated_by="U1", channel_id="C1")[1],
        ),
        ("refusal", lambda: build_refusal(PEOPLE, suggestion=text)[1]),
        (
            "suggestion dm",
            lambda: build_suggestion_dm(parsed, text=text[:533], suggested_by="U1")[1],
        ),
        ("moment confirmation", lambda: build_confirmation(logged, can_celebrate=True)),
        ("moments home", lambda: build_moments_home_section([logged] * 10)),
        ("unknown customer", lambda: build_unknown_customer_blocks(text[:200], [text[:200]] * 5)),
        ("customer usage", lambda: build_customer_usage_blocks([text[:200]] * 5)),
        ("followup", lambda: build_followup_blocks(due)),
        ("followup done", lambda: build_followup_done_blocks(text)),
        ("notes", lambda: build_notes_blocks([note] * 100, threshold=5)),
        (
            "author dm",
            lambda: build_author_dm(
                lead_user_id="U1", note=note, reply=text[:MAX_REPLY], reply_id=MAX_ID
            )[1],
        ),
        ("lead dm", lambda: build_lead_dm(note=note, answer=text[:MAX_REPLY])[1]),
        (
            "pulse",
            lambda: build_pulse_blocks(send_id=MAX_ID, question=question, threshold=10**6),
        ),
        ("timeline", lambda: build_timeline_blocks(_timeline(text))),
        (
            "timeline with the customer's tellings",
            lambda: build_timeline_blocks(
                _timeline(text), tellings={MAX_ID: _telling(text)}, viewer="U1"
            ),
        ),
        (
            "story link",
            lambda: build_link_blocks(
                url="https://cx.example.com/story/" + "A" * 22 + "." + "B" * 43,
                expires_at=datetime(2026, 3, 16, tzinfo=UTC),
                moment_id=MAX_ID,
                public=False,
            ),
        ),
        (
            "digest in their own words",
            lambda: build_digest_blocks(
                replace(_digest(text), own_words=(text[:200], _telling(text))), preview=True
            ),
        ),
        ("digest", lambda: build_digest_blocks(_digest(text), preview=True)),
        ("lead home", lambda: build_lead_home_blocks(_lead_view(text))),
        (
            "pulse home",
            lambda: build_pulse_home_section(
                plan=PLAN,
                scores={date(2026, 3, d): 5 for d in range(1, 31)},
                pulse_days=[date(2026, 3, d) for d in range(1, 31)],
                streak=10**6,
                today=date(2026, 3, 31),
                next_at=datetime(2026, 4, 1, tzinfo=UTC),
            ),
        ),
    ]


def _view_cases(text: str) -> list[tuple[str, Callable[[], dict[str, Any]]]]:
    customers = [(n, f"{n} {text}"[:200]) for n in range(100)]
    origin = ModalOrigin("shortcut", "C1", "https://sandbox.slack.com/archives/C1/p1" + "9" * 900)
    note = VisibleNote(MAX_ID, date(2026, 3, 2), text[:2000])
    return [
        (
            "moment modal",
            lambda: build_moment_modal(
                customers=customers, today=date(2026, 3, 2), origin=origin, prefill=text
            ),
        ),
        (
            "celebrate modal",
            lambda: build_celebrate_modal(
                people=PEOPLE,
                reason=text,
                values=["x"] * 20,
                company_values=[f"value{n}" for n in range(100)],
                moment=MOMENT,
            ),
        ),
        ("reply modal", lambda: build_reply_modal(note)),
        ("answer modal", lambda: build_answer_modal(MAX_ID, note)),
        ("sent", lambda: build_sent_view(text)),
        ("settings", lambda: build_settings_modal(plan=PLAN)),
        ("admin", lambda: _admin(text)),
        (
            "digest channel",
            lambda: build_digest_channel_view(
                teams=[(n, text[:200]) for n in range(150)], timezone="UTC", parent_view_id="V" * 30
            ),
        ),
        (
            "note modal",
            lambda: build_note_modal(send_id=MAX_ID, note=text[:TEXT_MAX], threshold=10**6),
        ),
        ("pause", build_pause_modal),
        ("forget", build_forget_modal),
        ("forget done", lambda: build_forget_done_modal(ForgetReport(*([10**6] * 5)))),
        ("sorry", build_sorry_modal),
        ("home", lambda: build_home_view(build_moments_home_section([]), threshold=10**6)),
        ("home unavailable", build_home_unavailable_view),
    ]


@pytest.mark.parametrize("kind", range(4), ids=["japanese", "hostile", "ascii", "lines"])
def test_messages_pass_slacks_checks(kind: int) -> None:
    text = _texts(3000)[kind]
    failures = {name: _problems(build, block_problems) for name, build in _blocks_cases(text)}
    assert {name: found for name, found in failures.items() if found} == {}


@pytest.mark.parametrize("kind", range(4), ids=["japanese", "hostile", "ascii", "lines"])
def test_views_pass_slacks_checks(kind: int) -> None:
    text = _texts(3000)[kind]
    failures = {name: _problems(build, view_problems) for name, build in _view_cases(text)}
    assert {name: found for name, found in failures.items() if found} == {}


def test_a_533_character_japanese_suggestion_round_trips() -> None:
    """The reported case: offered to a lead, and the lead's button still fits."""
    _, refusal = build_refusal(["U1"], suggestion=JAPANESE)
    (suggest,) = [e for b in refusal if b["type"] == "actions" for e in b["elements"]]
    assert suggest["value"] == JAPANESE
    parsed = parse_celebration(JAPANESE, company_values=())
    _, dm = build_suggestion_dm(parsed, text=suggest["value"], suggested_by="U1")
    assert block_problems(refusal) == []
    assert block_problems(dm) == []


def test_the_checker_catches_what_slack_refuses() -> None:
    too_long = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    entity = {"type": "header", "text": {"type": "plain_text", "text": "Q&amp;A"}}
    button = {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": "a",
                "text": {"type": "plain_text", "text": "b"},
                "value": '"' * 1001,
            }
        ],
    }
    problems = block_problems([too_long, entity, button] + [{"type": "divider"}] * 50)
    assert any("3000" in p for p in problems)
    assert any("HTML entity" in p for p in problems)
    assert any("once encoded" in p for p in problems)
    assert any("blocks in a message" in p for p in problems)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "t" * 25}, "blocks": []}
    assert view_problems(view)
