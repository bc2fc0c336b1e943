"""Story sentiment: the one place TextBlob is imported.

TextBlob's pattern analyser scores "ok" at +0.5, as glowing as "love it". A
customer story that went "ok" is not a win, so the raw polarity is tempered:

1. lukewarm words ("ok", "fine", "alright"…) keep only a fifth of their polarity;
2. the result is scaled by confidence, ``0.5 + 0.5 × subjectivity``, so flat,
   matter-of-fact text leans towards 0;
3. anything within ``NEUTRAL_BAND`` of 0 is labelled neutral.

The stored score stays in [-1, 1]; the label is derived from it.
"""

from __future__ import annotations

from typing import Literal

from textblob import TextBlob

SentimentLabel = Literal["positive", "neutral", "negative"]

NEUTRAL_BAND = 0.15
LUKEWARM_FACTOR = 0.2
LUKEWARM_WORDS = frozenset(
    {
        "ok",
        "okay",
        "fine",
        "alright",
        "decent",
        "fair",
        "acceptable",
        "adequate",
        "average",
        "reasonable",
        "satisfactory",
        "passable",
    }
)


def story_sentiment(text: str) -> float:
    """The tempered polarity of ``text`` in [-1, 1]; 0 for text with no opinion words."""
    if not text.strip():
        return 0.0
    assessed = TextBlob(text).sentiment_assessments
    assessments = assessed.assessments
    if not assessments:
        return 0.0
    polarities = []
    for words, polarity, _subjectivity, _kind in assessments:
        head = words[-1].lower() if words else ""
        polarities.append(polarity * LUKEWARM_FACTOR if head in LUKEWARM_WORDS else polarity)
    polarity = sum(polarities) / len(polarities)
    confidence = 0.5 + 0.5 * float(assessed.subjectivity)
    score = float(polarity * confidence)
    return max(-1.0, min(1.0, round(score, 4)))


def sentiment_label(score: float) -> SentimentLabel:
    """Positive, neutral or negative, with a neutral band around 0."""
    if score >= NEUTRAL_BAND:
        return "positive"
    if score <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"
