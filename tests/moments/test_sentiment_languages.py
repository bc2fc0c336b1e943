"""Story sentiment per language: detected, scored where a scorer reads it, else unscored.

The labelled stories (tests/moments/sentiment_stories_languages.csv) were written for this
purpose in each language, labelled win or problem as they were written (docs/languages.md).
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scipy.stats import mannwhitneyu
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.digest.store import unscored_stories
from bot.digest.views import moments_line
from bot.insights.export import MOMENT_COLUMNS, moment_rows, render
from bot.insights.teamweeks import team_weeks
from bot.moments.logged_views import LoggedMoment, build_confirmation
from bot.moments.sentiment import story_sentiment
from bot.moments.sentiment_languages import detect_language, french_sentiment, read_story
from bot.moments.store import MomentDraft, log_moment
from bot.workspace.store import ensure_team, ensure_workspace
from models import CustomerMoment, Person

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def _rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


LABELLED = _rows("sentiment_stories_languages.csv")
ENGLISH = _rows("sentiment_stories.csv")


@pytest.mark.parametrize("language", ["fr", "de", "es", "pt", "ja"])
def test_every_labelled_story_is_detected_in_its_language(language: str) -> None:
    stories = [r["story"] for r in LABELLED if r["language"] == language]
    assert len(stories) == 16
    assert {story: detect_language(story) for story in stories} == dict.fromkeys(stories, language)


def test_the_english_stories_are_detected_as_english() -> None:
    assert {detect_language(r["story"]) for r in ENGLISH} == {"en"}


def test_english_is_scored_as_before() -> None:
    for row in ENGLISH[:40]:
        reading = read_story(row["story"])
        assert (reading.language, reading.sentiment) == ("en", story_sentiment(row["story"]))


def test_french_is_scored_by_its_own_scorer_and_tells_wins_from_problems() -> None:
    french = [r for r in LABELLED if r["language"] == "fr"]
    wins = [read_story(r["story"]).sentiment for r in french if r["outcome"] == "win"]
    problems = [read_story(r["story"]).sentiment for r in french if r["outcome"] == "problem"]
    assert None not in wins + problems
    auc = mannwhitneyu(wins, problems).statistic / (len(wins) * len(problems))
    assert auc >= 0.85
    assert french_sentiment("Le support était excellent et très rapide") > 0.3
    assert french_sentiment("Le client est furieux, la panne était terrible") < -0.3
    # The English scorer cannot read it: it would have called a French problem neutral.
    assert story_sentiment("Le client est très mécontent, ils sont déçus") == 0.0
    # ... or read it by its one English-looking word, the wrong way round.
    assert story_sentiment("Ils sont déçus et très mécontents de notre support") > 0.3
    assert read_story("Ils sont déçus et très mécontents de notre support").sentiment == -0.9


@pytest.mark.parametrize("language", ["de", "es", "pt", "ja"])
def test_a_language_no_scorer_reads_is_unscored_never_neutral(language: str) -> None:
    for row in (r for r in LABELLED if r["language"] == language):
        assert read_story(row["story"]).language == language
        assert read_story(row["story"]).sentiment is None


def test_a_story_too_short_to_tell_is_scored_only_if_english_reads_an_opinion() -> None:
    assert read_story("Great call").language == "en"
    assert read_story("Great call").sentiment == story_sentiment("Great call") > 0
    assert (read_story("Renewal signed").language, read_story("Renewal signed").sentiment) == (
        "und",
        None,
    )


def _log(session: Session, what: str, outcome: str = "problem") -> CustomerMoment:
    ws = ensure_workspace(session, slack_team_id="T1", name="Acme")
    team = ensure_team(session, workspace=ws, name="Support")
    person = session.scalars(select(Person)).first()
    if person is None:
        person = Person(workspace_id=ws.id, slack_user_id="U1", tz="UTC", team_id=team.id)
        session.add(person)
        session.flush()
    draft = MomentDraft(
        new_customer_name="Globex",
        touchpoint="support",
        outcome=outcome,
        happened_on=NOW.date().isoformat(),
        what_happened=what,
    )
    result = log_moment(session, workspace=ws, person=person, draft=draft, now=NOW)
    assert result.moment is not None
    return result.moment


def test_a_japanese_story_is_stored_unscored_and_left_out_of_the_mean(session: Session) -> None:
    japanese = "三か月続けて請求書が間違っていて、お客様は激怒しています。"
    english = "The outage hit them hard and they are furious about the delays."
    with session.begin():
        ja = _log(session, japanese)
        en = _log(session, english)
        ws_id = ja.workspace_id
    with session.begin():
        stored = {m.what_happened: m for m in session.scalars(select(CustomerMoment))}
        assert stored[japanese].sentiment is None  # not 0.0: unknown, not neutral
        assert stored[japanese].story_language == "ja"
        assert stored[english].story_language == "en"
        english_score = stored[english].sentiment
        assert english_score is not None
        assert english_score < -0.3
        (week,) = team_weeks(session, workspace_id=ws_id, threshold=1, by_team=False)
        week_of = stored[japanese].week_start
        assert unscored_stories(session, workspace_id=ws_id, week=week_of, team_id=None) == 1
        rows = {row["what_happened"]: row for row in moment_rows(session)}
        csv_text = render(list(rows.values()), MOMENT_COLUMNS, "csv")
    assert week.moments == 2
    assert week.mean_sentiment == pytest.approx(english_score)
    assert en.id != ja.id
    line = moments_line(week, {"problem": english_score}, unscored=1)
    assert "1 story not scored: language not supported" in line
    assert "2 stories not scored" in moments_line(week, {}, unscored=2)
    assert "not scored" not in moments_line(week, {}, unscored=0)
    # The export leaves the score empty, not 0, and says the story's language.
    assert (rows[japanese]["sentiment"], rows[japanese]["story_language"]) == (None, "ja")
    assert csv_text.splitlines()[0].endswith(",story_language")
    assert any(line.endswith(",,False,command,U1,ja") for line in csv_text.splitlines())


def test_the_confirmation_says_an_unscored_story_was_not_scored_and_hints_nothing() -> None:
    moment = LoggedMoment(
        moment_id=7,
        customer="Globex",
        outcome="win",
        touchpoint="support",
        happened_on=NOW.date(),
        what_happened="三か月続けて請求書が間違っていて、お客様は激怒しています。",
        csat=None,
        sentiment=None,
        followup_on=None,
    )
    shown = str(build_confirmation(moment, can_celebrate=False))
    assert "Story sentiment: not scored (language not supported)" in shown
    assert "reads like a" not in shown
