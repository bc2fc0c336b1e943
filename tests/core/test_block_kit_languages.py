"""Block Kit limits hold in every language for the translated surfaces.

German and French run longer than English, Japanese is six characters per glyph once
JSON-escaped: every translated builder is fed the boundary inputs of
tests/core/test_block_kit_limits.py (largest ids, thresholds and counts, a paused and an
opted-out plan, every second question) and checked the way Slack checks it, per language.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bot.admin.digest_modal import build_digest_channel_view
from bot.alerts.store import DropCheck, MoodBand
from bot.alerts.views import build_alert_blocks
from bot.app import offline_parts
from bot.celebrations.parse import CelebrationError, from_form, parse_celebration
from bot.celebrations.store import MAX_REASON_CHARS, LinkedMoment, check_celebration
from bot.celebrations.suggestion_views import build_refusal, build_suggestion_dm
from bot.celebrations.views import (
    build_celebrate_modal,
    build_celebrated_dm,
    build_celebration_post,
    person_problem,
)
from bot.core.i18n import SUPPORTED, Translator, translator
from bot.core.router import CommandRouter
from bot.customers.views import build_followup_blocks
from bot.digest.store import DigestData, Story
from bot.digest.views import build_digest_blocks
from bot.home.chart import CHART_WEEKS, ChartRef, chart_alt_text
from bot.home.delivery import FAILED_NOTE, withheld_note
from bot.home.store import LeadQuestions, LeadView
from bot.home.views import (
    build_home_unavailable_view,
    build_home_view,
    build_lead_home_blocks,
    build_lead_insights_blocks,
)
from bot.insights.experience_gap import ExperienceGap
from bot.insights.flowon import FlowOnFinding
from bot.insights.questions import MONTH, WEEK, QuestionResult
from bot.insights.teamweeks import TeamWeek
from bot.moments.logged_views import LoggedMoment, build_confirmation
from bot.moments.logged_views import build_home_section as build_moments_home_section
from bot.moments.store import DueFollowup, MomentDraft, validate_draft
from bot.moments.views import ModalOrigin, build_moment_modal
from bot.notes.store import VisibleNote
from bot.notes.views import (
    MAX_REPLY,
    build_answer_modal,
    build_author_dm,
    build_lead_dm,
    build_notes_blocks,
    build_reply_modal,
)
from bot.pulse.answers import NOTE_MAX_CHARS, note_error
from bot.pulse.questions import ENPS, QUESTIONS
from bot.pulse.schedule import PulsePlan
from bot.pulse.views import build_pulse_blocks
from bot.settings.home_views import build_home_section
from bot.settings.store import MAX_PAUSE_DAYS, ForgetReport, SettingsForm, settings_errors
from bot.settings.views import (
    build_forget_done_modal,
    build_forget_modal,
    build_note_modal,
    build_pause_modal,
    build_settings_modal,
)
from bot.stories.views import build_link_blocks
from models import Workspace
from tests.support.blockkit_check import failing_messages, failing_views

MAX_ID = 2**31 - 1
BIG = 10**6
# A team-week at its largest: every count, a long team name, every customer figure.
FULL_WEEK = replace(
    TeamWeek(
        MAX_ID, "R&D " * 50, date(2026, 3, 2), BIG, 4.95, 1.0, BIG, BIG, BIG, 1.0, 5.0, -1.0, BIG
    ),
    customer_responses=BIG,
    customer_csat=5.0,
    customer_nps=-100.0,
)
# The longest time zone name in the tz database: shown in the settings hint and Home.
LONG_TZ = "America/Argentina/ComodRivadavia"
DAYS = [date(2026, 3, d) for d in range(1, 31)]
PLANS = {
    "active": PulsePlan(LONG_TZ, time(9, 0), frozenset(range(7)), None, False, frozenset()),
    "paused": PulsePlan(
        LONG_TZ, time(9, 0), frozenset(range(7)), date(2026, 12, 30), False, frozenset()
    ),
    "opted out": PulsePlan(LONG_TZ, time(9, 0), frozenset(), None, True, frozenset()),
}


# The longest note, from the week of Monday 2 March 2026 (ISO 2026-W10).
NOTE = VisibleNote(MAX_ID, date(2026, 3, 2), "é" * 2000)

# A win whose story reads as a problem: every optional line and the hint are shown.
LOGGED = LoggedMoment(
    MAX_ID, "c" * 200, "win", "onboarding", date(2026, 3, 2), "é" * 3000, 5, -1.0, date(2026, 3, 9)
)

# The real `/cx` words, as every feature registers them.
ROUTER: CommandRouter = offline_parts().commands


def _messages(t: Translator) -> dict[str, list[dict[str, Any]]]:
    cases: dict[str, list[dict[str, Any]]] = {
        f"pulse with {key}": build_pulse_blocks(
            send_id=MAX_ID, question=question, threshold=BIG, t=t
        )
        for key, question in QUESTIONS.items()
    }
    cases["pulse alone"] = build_pulse_blocks(send_id=MAX_ID, question=None, threshold=BIG, t=t)
    cases["help"] = ROUTER.help_message(threshold=BIG, t=t)["blocks"]
    cases["help, unknown word"] = ROUTER.help_message(threshold=BIG, unknown_word="x" * 3000, t=t)[
        "blocks"
    ]
    for name, plan in PLANS.items():
        cases[f"pulse home, {name}"] = build_home_section(
            plan=plan,
            scores=dict.fromkeys(DAYS, 5),
            pulse_days=DAYS,
            streak=BIG,
            today=date(2026, 3, 31),
            next_at=datetime(2026, 4, 1, tzinfo=UTC),
            t=t,
        )
    for name, digest in _digests().items():
        cases[name] = build_digest_blocks(digest, preview=True, t=t)
    cases.update(_lead_home(t))
    many = " ".join(f"<@U{n:010d}>" for n in range(100))
    parsed = parse_celebration(f"{many} for {'é' * MAX_REASON_CHARS}", company_values=("x",))
    moment = LinkedMoment(MAX_ID, "c" * 200, "problem", "é" * 3000, "U1")
    drop = DropCheck(MAX_ID, "R&D " * 50, date(2026, 3, 2), 1.0, BIG, MoodBand(4.5, 4.0, 5.0, BIG))
    cases.update(
        {
            "celebration post": build_celebration_post(
                parsed, celebrated_by="U1", moment=moment, t=t
            )[1],
            "celebrated dm": build_celebrated_dm(parsed, celebrated_by="U1", channel_id="C1", t=t)[
                1
            ],
            "note reply to its author": build_author_dm(
                lead_user_id="U1", note=NOTE, reply="é" * MAX_REPLY, reply_id=MAX_ID, t=t
            )[1],
            "drop alert": build_alert_blocks(drop, threshold=BIG, t=t),
            "story link": build_link_blocks(
                url="https://cx.example.test/story/" + "a" * 120 + "?lang=pt_BR",
                expires_at=datetime(2026, 12, 30, tzinfo=UTC),
                moment_id=MAX_ID,
                public=False,
                t=t,
            ),
            "notes list": build_notes_blocks([NOTE] * 100, threshold=BIG, t=t),
            "no notes": build_notes_blocks([], threshold=BIG, t=t),
            "answer to the lead": build_lead_dm(note=NOTE, answer="é" * MAX_REPLY, t=t)[1],
            "celebrate refusal": build_refusal(
                [f"U{n:010d}" for n in range(50)], suggestion="é" * 200, t=t
            )[1],
            "celebration suggestion": build_suggestion_dm(
                parsed, text="é" * 200, suggested_by="U1", t=t
            )[1],
            "moment confirmation": build_confirmation(LOGGED, can_celebrate=True, t=t),
            "moments home": build_moments_home_section([LOGGED] * 10, t),
            "follow-up reminder": build_followup_blocks(
                DueFollowup(MAX_ID, "U1", "c" * 200, "é" * 3000, date(2026, 9, 30), date.max), t
            ),
        }
    )
    return cases


def _lead_home(t: Translator) -> dict[str, list[dict[str, Any]]]:
    """The lead's Home sections at their largest: every note, line, gap and question."""
    finding = FlowOnFinding([], None, "", shortfall=(BIG, BIG, BIG))
    gaps = {
        "customers rated": ExperienceGap(date(2026, 2, 1), 4.99, 5, 1.01, BIG, BIG, 1.0, -100.0),
        "own guess, staff CSAT": ExperienceGap(date(2026, 2, 1), None, 5, 1.01, BIG),
        "no guesses": ExperienceGap(date(2026, 2, 1), None, None, None, 0),
    }
    cases: dict[str, list[dict[str, Any]]] = {}
    for name, gap in gaps.items():
        view = LeadView(
            "R&D " * 50,
            date(2026, 3, 2),
            BIG,
            FULL_WEEK,
            replace(FULL_WEEK, mean_mood=1.0),
            ["é" * 300] * 40,
            finding,
            gap,
            viewer_in_group=True,
        )
        cases[f"lead home, {name}"] = build_lead_home_blocks(view, t)
    weekly = [
        QuestionResult(MAX_ID, "t", WEEK, date(2026, 3, 2), key, BIG, -100.0, 100.0)
        for key in QUESTIONS
        if key != ENPS
    ]
    questions = LeadQuestions(
        date(2026, 2, 1),
        QuestionResult(MAX_ID, "t", MONTH, date(2026, 2, 1), ENPS, BIG, -100.0, 100.0),
        date(2026, 3, 2),
        weekly,
    )
    weeks = [date(2026, 3, 2) - timedelta(weeks=k) for k in range(CHART_WEEKS)][::-1]
    alt = chart_alt_text(weeks, {}, scope="R&D " * 500, threshold=BIG, besides_you=True, t=t)
    charts = {
        "chart": ChartRef("F" + "0" * 10, alt),
        "withheld chart": ChartRef(None, "", withheld_note(BIG, besides_you=True, t=t)),
        "failed chart": ChartRef(None, "", t.gettext(FAILED_NOTE)),
    }
    for name, chart in charts.items():
        cases[f"lead insights, {name}"] = build_lead_insights_blocks(
            scope="R&D " * 50,
            chart=chart,
            questions=questions,
            threshold=BIG,
            besides_you=True,
            t=t,
        )
    return cases


def _digests() -> dict[str, DigestData]:
    """The digest at its boundaries: every section present, the largest counts, a lag."""
    story = Story("é" * 200, "win", "é" * 3000, "é" * 3000, 5)
    base = DigestData(
        scope="R&D " * 50,
        team_id=MAX_ID,
        week_start=date(2026, 3, 2),
        threshold=BIG,
        this_week=None,
        last_week=None,
        series=[],
        win_story=story,
        problem_story=story,
        top_values=[("v" * 64, BIG)] * 20,
        storyteller=story,
        finding=FlowOnFinding([], None, "", shortfall=(0, 0, BIG)),
    )
    return {
        "digest, nothing this week": base,
        "digest, full week": replace(
            base,
            this_week=FULL_WEEK,
            last_week=replace(FULL_WEEK, mean_mood=1.0),
            unscored_stories=BIG,
            sentiment_by_outcome={"win": -1.0, "problem": -1.0},
            finding=FlowOnFinding([], None, "", shortfall=(BIG, BIG, BIG)),
        ),
    }


def _views(t: Translator) -> dict[str, dict[str, Any]]:
    cases = {
        f"settings, {name}": build_settings_modal(
            plan=plan, language="pt_BR", slack_language="de", t=t
        )
        for name, plan in PLANS.items()
    }
    home = build_home_section(
        plan=PLANS["paused"],
        scores={},
        pulse_days=DAYS,
        streak=0,
        today=date(2026, 3, 31),
        next_at=None,
        t=t,
    )
    cases.update(
        {
            "note": build_note_modal(send_id=MAX_ID, note="n" * NOTE_MAX_CHARS, threshold=BIG, t=t),
            "pause": build_pause_modal(t),
            "forget": build_forget_modal(t),
            "forget done": build_forget_done_modal(ForgetReport(*([BIG] * 5)), t),
            "forget done, nothing": build_forget_done_modal(ForgetReport(*([0] * 5)), t),
            "home": build_home_view(home + build_moments_home_section([], t), threshold=BIG, t=t),
            "home unavailable": build_home_unavailable_view(t),
            "reply to a note": build_reply_modal(NOTE, t),
            "celebrate modal": build_celebrate_modal(
                people=[],
                reason="é" * MAX_REASON_CHARS,
                values=[],
                company_values=["x"] * 20,
                moment=LinkedMoment(MAX_ID, "c" * 200, "problem", "é" * 3000, "U1"),
                t=t,
            ),
            "moment modal": build_moment_modal(
                customers=[(n, "c" * 200) for n in range(100)],
                today=date(2026, 3, 2),
                origin=ModalOrigin(
                    "shortcut", "C1", "https://x.slack.com/archives/C1/p" + "9" * 900
                ),
                prefill="é" * 4000,
                t=t,
            ),
            "answer back": build_answer_modal(MAX_ID, NOTE, t),
            "add digest channel": build_digest_channel_view(
                teams=[(MAX_ID, "t" * 200)] * 150,
                timezone=LONG_TZ,
                parent_view_id="V" * 20,
                language=t.language,
                t=t,
            ),
        }
    )
    return cases


@pytest.mark.parametrize("language", SUPPORTED)
def test_translated_messages_pass_slacks_checks(language: str) -> None:
    assert failing_messages(_messages(translator(language))) == {}


@pytest.mark.parametrize("language", SUPPORTED)
def test_translated_views_pass_slacks_checks(language: str) -> None:
    assert failing_views(_views(translator(language))) == {}


# The week the digest and note cases are about (Monday 2 March 2026, ISO 2026-W10), named
# the way the lead's App Home names it in each language.
MONDAY = {
    "en": "2 March",
    "fr": "2 mars",
    "de": "2. März",
    "es": "2 de marzo",
    "pt_BR": "2 de março",
    "ja": "3月2日",
}
WEEK_SHOWN = (
    "notes list",
    "note reply to its author",
    "answer to the lead",
    "reply to a note",
    "answer back",
)
ISO_WEEK = re.compile(r"\d{4}-W\d{2}")


@pytest.mark.parametrize("language", SUPPORTED)
def test_the_digest_and_notes_name_weeks_by_their_monday(language: str) -> None:
    """People read "week of 2 March" in their language, never an ISO label like 2026-W10."""
    t = translator(language)
    built = {**_messages(t), **_views(t)}
    # A team name short enough that the header is not cut before its week.
    for name, digest in _digests().items():
        built[name] = build_digest_blocks(replace(digest, scope="support"), t=t)
    for name in (*_digests(), *WEEK_SHOWN):
        shown = json.dumps(built[name], ensure_ascii=False)
        assert MONDAY[language] in shown, name
        assert not ISO_WEEK.search(shown), name


@pytest.mark.parametrize("language", SUPPORTED)
def test_inline_errors_fit_slacks_error_limit(language: str) -> None:
    """Modal errors are shown under the field; Slack takes at most 150 characters each."""
    t = translator(language)
    errors = [
        note_error("", t),
        note_error("n" * (NOTE_MAX_CHARS * 1000), t),
        t.gettext("Pick 1 to %(max)s days.", max=MAX_PAUSE_DAYS),
        *settings_errors(SettingsForm(None, frozenset(), False, "xx"), t).values(),
        *_moment_errors(t),
        *_celebrate_modal_errors(t),
    ]
    assert all(e is not None and 0 < len(e) <= 150 for e in errors), errors


def _moment_errors(t: Translator) -> list[str]:
    """The longest inline errors of the moment modal, with their largest values (none of
    these checks reads the database)."""
    today = date(2026, 3, 2)
    with Session(create_engine("sqlite://")) as session:
        draft = MomentDraft(
            new_customer_name="n" * 1000,
            happened_on="2020-01-01",
            what_happened="é" * BIG,
            backstory="é" * BIG,
            csat="9",
            followup_on="2026-03-01",
        )
        errors = validate_draft(session, workspace=Workspace(), draft=draft, today=today, t=t)
    return list(errors.values())


def _celebrate_modal_errors(t: Translator) -> list[str]:
    """The inline errors the celebrate modal can show: a blank reason, celebrating only
    oneself, a bot or a deactivated person with the longest name, a non-lead."""
    errors = [t.gettext("Only leads can celebrate.")]
    for people, reason in ((["U1"], " ! "), (["ULEAD"], "Me")):
        form = from_form(people=people, reason=reason, values=[], company_values=[])
        with pytest.raises(CelebrationError) as caught:
            check_celebration(form, celebrated_by="ULEAD")
        errors.append(caught.value.text(t))
    for user in ({"real_name": "n" * 250, "is_bot": True}, {"name": "n" * 250, "deleted": True}):
        errors.append(person_problem("U1", user, plain=True, t=t) or "")
    return errors
