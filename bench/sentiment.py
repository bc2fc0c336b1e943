"""Story sentiment: how well it tells wins from problems, and what it costs.

Usage: python bench/sentiment.py [--quick]

Per language: on stories written in French, German, Spanish, Portuguese and Japanese
(tests/moments/sentiment_stories_languages.csv, written for this purpose and labelled when
written; docs/languages.md), prints the AUC of the stored reading where a scorer reads the
language and "not scored" where none does, beside what the English scorer alone makes of
them (how many it would have called neutral).

On the labelled customer-service stories in tests/moments/sentiment_stories.csv (wins,
problems and neutral ones from five touchpoints, written by the team), prints the AUC of
wins against problems (P(a random win outscores a random problem); 0.5 is a coin toss) for
the stored score (VADER first, TextBlob where VADER finds no opinion word) and for TextBlob
alone (the previous score), overall, on the held-out half, and per touchpoint; the medians
of each outcome; and the time to score 1,000 stories. Prints one JSON line per figure, last.
"""

from __future__ import annotations

import csv
import statistics
import sys
import time as clock
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scipy.stats import mannwhitneyu

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import figure as shared_figure  # noqa: E402
from bench.figures import print_figures, quick_parser  # noqa: E402
from bot.moments.sentiment import (  # noqa: E402
    NEUTRAL_BAND,
    story_sentiment,
    textblob_sentiment,
)
from bot.moments.sentiment_languages import read_story  # noqa: E402

STORIES = ROOT / "tests" / "moments" / "sentiment_stories.csv"
LANGUAGE_STORIES = ROOT / "tests" / "moments" / "sentiment_stories_languages.csv"
LANGUAGES = ("en", "fr", "de", "es", "pt", "ja")
TOUCHPOINTS = ("support", "sales", "onboarding", "billing", "success")
AUC_TARGET = 0.85
TEXTBLOB = "TextBlob alone (the previous score)"
Score = Callable[[str], float]


def load(path: Path = STORIES) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _stored(text: str) -> float | None:
    return read_story(text).sentiment


def per_language(english: list[dict[str, str]]) -> list[Any]:
    """The per-language table; a figure for each language a scorer reads."""
    rows = [dict(r, language="en") for r in english] + load(LANGUAGE_STORIES)
    print(
        f"\nper language (wins vs problems)  {'stories':>7}  {'detected':>8}  "
        f"{'stored reading':>14}  {'English scorer alone':>20}"
    )
    figures = []
    for language in LANGUAGES:
        subset = [r for r in rows if r["language"] == language and r["outcome"] != "neutral"]
        readings = [read_story(r["story"]) for r in subset]
        detected = sum(reading.language == language for reading in readings)
        english_neutral = sum(abs(story_sentiment(r["story"])) < NEUTRAL_BAND for r in subset)
        english_alone = f"AUC {auc(subset, story_sentiment):.3f}, {english_neutral} neutral"
        if any(reading.sentiment is None for reading in readings):
            stored = "not scored"
        else:
            value = auc(subset, lambda text: _stored(text) or 0.0)
            stored = f"AUC {value:.3f}"
            figures.append(
                {
                    "name": f"sentiment_auc_language_{language}",
                    "value": round(value, 3),
                    "unit": "AUC",
                    "stories": len(subset),
                    "target": f">= {AUC_TARGET}",
                    "met": value >= AUC_TARGET,
                }
            )
        print(
            f"  {language:30} {len(subset):7} {detected:5}/{len(subset):<3} "
            f"{stored:>14}  {english_alone:>20}"
        )
    return figures


def auc(rows: list[dict[str, str]], score: Score) -> float:
    """Mann-Whitney U / (n_wins × n_problems), ties counting half."""
    wins = [score(r["story"]) for r in rows if r["outcome"] == "win"]
    problems = [score(r["story"]) for r in rows if r["outcome"] == "problem"]
    u = mannwhitneyu(wins, problems, alternative="two-sided").statistic
    return float(u) / (len(wins) * len(problems))


def ms_per_1000(texts: list[str], score: Score, total: int) -> float:
    """Wall time to score ``total`` stories (the set, cycled), per 1,000; best of three."""
    batch = [texts[i % len(texts)] for i in range(total)]
    best = float("inf")
    for _ in range(3):
        start = clock.perf_counter()
        for text in batch:
            score(text)
        best = min(best, clock.perf_counter() - start)
    return best * 1000 / total * 1000


def figure(name: str, value: float, unit: str, anchor_value: float, target: str, met: bool) -> Any:
    return shared_figure(name, value, unit, TEXTBLOB, anchor_value, target, met)


def main() -> None:
    args = quick_parser(__doc__, "time 1,000 stories, not 10,000").parse_args()
    rows = load()
    story_sentiment("warm up")  # builds VADER's analyser once, as the first moment would
    textblob_sentiment("warm up")
    counts = {o: sum(r["outcome"] == o for r in rows) for o in ("win", "problem", "neutral")}
    print(f"{len(rows)} labelled stories: {counts}")
    figures = []
    holdout = [r for r in rows if r["half"] == "holdout"]
    groups: list[tuple[str, str, list[dict[str, str]]]] = [
        ("all", "all stories", rows),
        ("holdout", "held-out half (not used to choose)", holdout),
    ]
    groups += [(tp, tp, [r for r in rows if r["touchpoint"] == tp]) for tp in TOUCHPOINTS]
    print(f"\nAUC, wins vs problems       {'stored score':>12} {'TextBlob':>9}")
    for key, label, subset in groups:
        ours, anchor = auc(subset, story_sentiment), auc(subset, textblob_sentiment)
        print(f"  {label:36} {ours:6.3f} {anchor:9.3f}")
        figures.append(
            figure(
                f"sentiment_auc_{key}", ours, "AUC", anchor, f">= {AUC_TARGET}", ours >= AUC_TARGET
            )
        )
    print("\nmedian score by outcome      problem  neutral      win")
    for label, score in (("stored score", story_sentiment), ("TextBlob alone", textblob_sentiment)):
        medians = [
            statistics.median(score(r["story"]) for r in rows if r["outcome"] == o)
            for o in ("problem", "neutral", "win")
        ]
        zeros = sum(score(r["story"]) == 0.0 for r in rows if r["outcome"] != "neutral")
        print(
            f"  {label:26} {medians[0]:+7.2f} {medians[1]:+8.2f} {medians[2]:+8.2f}"
            f"   ({zeros} of {counts['win'] + counts['problem']} wins/problems at exactly 0)"
        )
    figures += per_language(rows)
    total = 1_000 if args.quick else 10_000
    texts = [r["story"] for r in rows]
    ours_ms = ms_per_1000(texts, story_sentiment, total)
    anchor_ms = ms_per_1000(texts, textblob_sentiment, total)
    read_ms = ms_per_1000(texts, lambda text: _stored(text) or 0.0, total)
    print(
        f"\ntime per 1,000 stories: stored score {ours_ms:.0f} ms, TextBlob {anchor_ms:.0f} ms, "
        f"with language detection first {read_ms:.0f} ms"
    )
    figures.append(
        figure(
            "sentiment_ms_per_1000_stories",
            ours_ms,
            "ms",
            anchor_ms,
            "< 1000 ms (one moment: < 1 ms)",
            ours_ms < 1000,
        )
    )
    print_figures(*figures)


if __name__ == "__main__":
    main()
