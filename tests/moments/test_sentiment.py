"""Story sentiment: lukewarm words are neutral, clear stories keep their sign."""

from __future__ import annotations

import pytest
from textblob import TextBlob

from bot.moments.sentiment import NEUTRAL_BAND, sentiment_label, story_sentiment


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
        "😀🎉",
        "مرحبا بالعالم",
        "'; DROP TABLE x; --",
    ],
)
def test_no_opinion_is_zero(text: str) -> None:
    assert story_sentiment(text) == 0.0


def test_scores_stay_in_range_and_band_is_symmetric() -> None:
    for text in ("terrible " * 50, "the best, most perfect, wonderful day", "very very bad"):
        assert -1.0 <= story_sentiment(text) <= 1.0
    assert story_sentiment("terrible") == -1.0
    assert sentiment_label(NEUTRAL_BAND) == "positive"
    assert sentiment_label(-NEUTRAL_BAND) == "negative"
    assert sentiment_label(NEUTRAL_BAND / 2) == sentiment_label(-NEUTRAL_BAND / 2) == "neutral"
