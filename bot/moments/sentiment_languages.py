"""Story sentiment per language: detect the language, score it only where a scorer reads it.

The English scorer (bot/moments/sentiment.py: VADER, then TextBlob) reads English only: on
a Japanese or German story it finds no opinion word and would answer 0, "neutral", which
is wrong rather than unknown. So a story is first given its language (py3langid, a naive
Bayes model over byte n-grams for 97 languages that ships in the package); English is
scored as before, French by TextBlob's French extension (textblob-fr, pattern's French
lexicon), and every other language is kept unscored (``sentiment`` None) with its language,
and left out of every sentiment figure. bench/sentiment.py reports the AUC per language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier
from textblob_fr import PatternAnalyzer

from bot.moments.sentiment import story_sentiment

# Below this normalised probability a detection is a guess: one- or two-word stories
# ("Renewal signed") and mixed ones. Every story of the labelled sets (220 English, 16 in
# each of five other languages) is detected above it (the lowest: 0.69).
MIN_CONFIDENCE = 0.5
UNDETERMINED = "und"  # ISO 639-2's code for "undetermined"


@dataclass(frozen=True)
class StoryReading:
    """A story's language and its sentiment in [-1, 1]; None when no scorer reads it."""

    language: str
    sentiment: float | None


@cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model, loaded once (about 0.5 s), with probabilities normalised."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def _french() -> PatternAnalyzer:
    return PatternAnalyzer()


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language ("fr", "ja"), or "und" when unsure."""
    if not text.strip():
        return UNDETERMINED
    code, probability = _identifier().classify(text)
    return str(code) if probability >= MIN_CONFIDENCE else UNDETERMINED


def french_sentiment(text: str) -> float:
    """textblob-fr's polarity in [-1, 1] (its lexicon reads negation and intensifiers)."""
    polarity, _subjectivity = _french().analyze(text)
    return max(-1.0, min(1.0, round(float(polarity), 4)))


# The languages a scorer reads, by detected code.
SCORERS: dict[str, Callable[[str], float]] = {"en": story_sentiment, "fr": french_sentiment}


def read_story(text: str) -> StoryReading:
    """``text``'s language and sentiment; unscored when no scorer reads that language.

    A story too short to tell its language is read as English only when the English
    scorer finds an opinion word in it ("Great call"); otherwise it stays unscored too.
    """
    if not text.strip():
        return StoryReading("en", 0.0)  # nothing written: nothing to read, in any language
    language = detect_language(text)
    if language == UNDETERMINED:
        english = story_sentiment(text)
        return StoryReading("en", english) if english != 0.0 else StoryReading(language, None)
    scorer = SCORERS.get(language)
    return StoryReading(language, scorer(text) if scorer else None)
