"""Story sentiment: lukewarm words are neutral, clear stories keep their sign.

How well it tells wins from problems is checked on a labelled set in
test_sentiment_stories.py; these pin the rules one story at a time.
"""

from __future__ import annotations

import pytest
from textblob import TextBlob

from bot.moments.sentiment import (
    CLEAR_READING,
    NEUTRAL_BAND,
    SERVICE_WORDS,
    outcome_hint,
    sentiment_label,
    story_sentiment,
    textblob_sentiment,
)


@pytest.mark.parametrize(
    "text",
    ["ok", "OK", "okay", "fine", "it was ok", "It was fine, I guess", "very ok", "alright"],
)
def test_weak_texts_are_neutral(text: str) -> None:
    assert sentiment_label(story_sentiment(text)) == "neutral"


def test_raw_textblob_would_call_ok_glowing() -> None:
    # The reason for the damping: without it "ok" is as positive as "love it".
    assert TextBlob("ok").sentiment.polarity == pytest.approx(0.5)


@pytest.mark.parametrize(
    "text",
    [
        "Amazing support, she loved it and thanked us twice",
        "They were really happy with the quick fix",
        "great",
    ],
)
def test_clearly_positive_stories_stay_positive(text: str) -> None:
    assert sentiment_label(story_sentiment(text)) == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "The customer was furious, the order was late and broken",
        "ok but the refund was a terrible mess",
        "Awful experience, they are angry and want to cancel",
    ],
)
def test_clearly_negative_stories_stay_negative(text: str) -> None:
    assert sentiment_label(story_sentiment(text)) == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Customer called about invoice 4411",
        "مرحبا بالعالم",
        "Sent the updated price list they asked for.",
    ],
)
def test_no_opinion_is_zero(text: str) -> None:
    assert story_sentiment(text) == 0.0


def test_emoji_carry_feeling() -> None:
    # VADER reads emoji; a story told in emoji is not "no opinion".
    assert sentiment_label(story_sentiment("😀🎉")) == "positive"
    assert sentiment_label(story_sentiment("😠")) == "negative"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Not a single complaint from their team", "positive"),
        ("They weren't happy with the renewal terms", "negative"),
        ("The outage hit them hard, but we fixed it fast and they thanked us", "positive"),
        ("They liked the demo, but they were furious about the price", "negative"),
        ("Another outage this week", "negative"),
        ("They churned", "negative"),
        ("The switchover went smoothly", "positive"),
    ],
)
def test_negation_contrast_and_service_words(text: str, label: str) -> None:
    assert sentiment_label(story_sentiment(text)) == label


def test_service_words_stay_few_and_within_vaders_scale() -> None:
    assert len(SERVICE_WORDS) <= 20
    assert all(-4.0 <= v <= 4.0 and v != 0 for v in SERVICE_WORDS.values())
    assert "refund" not in SERVICE_WORDS  # a refund is a win as often as a problem


def test_textblob_fills_in_where_vader_finds_no_opinion_word() -> None:
    # "accurate" is in TextBlob's lexicon, not VADER's.
    text = "Their answer was quick and accurate"
    assert textblob_sentiment(text) > 0
    assert story_sentiment(text) == textblob_sentiment(text)


@pytest.mark.parametrize(
    "text", ["terrible " * 50, "the best, most perfect, wonderful day", "'; DROP TABLE x; --"]
)
def test_scores_stay_in_range(text: str) -> None:
    assert -1.0 <= story_sentiment(text) <= 1.0


def test_band_is_symmetric() -> None:
    assert sentiment_label(NEUTRAL_BAND) == "positive"
    assert sentiment_label(-NEUTRAL_BAND) == "negative"
    assert sentiment_label(NEUTRAL_BAND / 2) == sentiment_label(-NEUTRAL_BAND / 2) == "neutral"


@pytest.mark.parametrize(
    ("outcome", "text", "hint"),
    [
        ("win", "They were furious, the outage ruined their launch", "problem"),
        ("problem", "They were delighted and thanked the whole team", "win"),
        ("win", "They were delighted and thanked the whole team", None),
        ("problem", "They were furious, the outage ruined their launch", None),
        ("neutral", "They were furious, the outage ruined their launch", None),
        ("win", "Sent the updated price list they asked for.", None),
        ("win", "A slightly slow start", None),  # only a clear reading earns a hint
    ],
)
def test_outcome_hint_only_for_a_clear_contradiction(
    outcome: str, text: str, hint: str | None
) -> None:
    assert outcome_hint(outcome, story_sentiment(text)) == hint


def test_hint_threshold_is_stricter_than_the_band() -> None:
    assert CLEAR_READING > NEUTRAL_BAND
    assert outcome_hint("win", -CLEAR_READING) == "problem"
    assert outcome_hint("win", -CLEAR_READING + 0.01) is None
