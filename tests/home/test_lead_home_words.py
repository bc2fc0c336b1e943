"""The lead's Home in words: English counts agree with their nouns ("1 win", never "1 wins"),
and every other language words the weekly figures, notes and gap in its own way."""

from __future__ import annotations

import json
from datetime import date

from bot.core.i18n import translator
from bot.digest.lines import moments_line
from bot.home.store import LeadView
from bot.home.views import NOTES_ROOM, build_lead_home_blocks, gap_line
from bot.insights.experience_gap import ExperienceGap
from bot.insights.flowon import FlowOnFinding
from bot.insights.flowon_words import not_enough
from bot.insights.teamweeks import WHOLE_WORKSPACE
from tests.support.languages import english_left, texts
from tests.support.team_weeks import team_week

WEEK = team_week(moments=1, problems=0, win_share=1.0, mean_sentiment=None)
ONE_RATING = ExperienceGap(date(2026, 2, 1), 4.2, None, None, 0, 1, 4.0, None)


def _view(scope: str = "support", notes: list[str] | None = None) -> LeadView:
    finding = FlowOnFinding([], None, not_enough(1, 1, 10), shortfall=(1, 1, 10))
    return LeadView(scope, date(2026, 3, 2), 5, WEEK, None, notes, finding, ONE_RATING)


def test_english_counts_agree_with_their_nouns() -> None:
    assert "1 customer moment: wins 1, neutral 0, problems 0" in moments_line(WEEK)
    assert "1 team-week with both mood" in not_enough(1, 1, 10)
    assert "3 team-weeks with both mood" in not_enough(3, 1, 10)
    assert "(1 customer rating from the help desk)" in gap_line(ONE_RATING, 5)
    staff = ExperienceGap(date(2026, 2, 1), None, None, 4.0, 1)
    assert "over 1 rated moment (staff-typed" in gap_line(staff, 5)
    long_notes = ["n" * 300] * 12  # nine fit in a section, three more are counted
    shown = "\n".join(texts(build_lead_home_blocks(_view(notes=long_notes))))
    assert NOTES_ROOM < 12 * 302
    assert "_…and 3 more: `/cx notes` lists them all._" in shown


def test_the_english_home_names_the_week_by_its_monday() -> None:
    text = json.dumps(build_lead_home_blocks(_view()))
    assert "*Week of 2 March*" in text
    assert "2026-W10" not in text


def test_the_japanese_home_has_no_english_left_and_names_everyone_in_japanese() -> None:
    t = translator("ja")
    blocks = build_lead_home_blocks(_view(scope=WHOLE_WORKSPACE, notes=["メモ"] * 6), t)
    shown = texts(blocks)
    joined = "\n".join(shown)
    assert "あなたのチーム: 全員" in joined
    assert "*3月2日の週*" in joined
    assert "お客様とのひとこま 1件" in joined
    assert "*体験ギャップ(2026年2月)*" in joined
    assert english_left("ja", shown) == []
