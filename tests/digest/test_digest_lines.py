"""The digest's customer-moments line speaks the stored score's scale."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.digest.views import moments_line
from bot.moments.sentiment import NEUTRAL_BAND
from tests.support.team_weeks import team_week

WEEK = team_week(moments=5, wins=3, problems=1)  # a week with wins and problems


@pytest.mark.parametrize(
    ("mean", "word"),
    [
        (0.42, "positive"),
        (NEUTRAL_BAND, "positive"),
        (0.12, "neutral"),  # the old wording called this positive (> 0.1)
        (0.0, "neutral"),
        (-0.12, "neutral"),
        (-NEUTRAL_BAND, "negative"),
        (-0.5, "negative"),
    ],
)
def test_sentiment_word_follows_the_neutral_band(mean: float, word: str) -> None:
    line = moments_line(replace(WEEK, mean_sentiment=mean))
    assert f"stories read {word} ({mean:+.2f})" in line


def test_wins_and_problems_are_read_apart() -> None:
    line = moments_line(
        replace(WEEK, mean_sentiment=0.21), by_outcome={"win": 0.55, "problem": -0.48}
    )
    assert "stories read positive (+0.21; wins +0.55, problems -0.48)." in line
    # Only the outcomes the week had.
    line = moments_line(replace(WEEK, mean_sentiment=0.5), by_outcome={"win": 0.5})
    assert "stories read positive (+0.50; wins +0.50)." in line
    assert "problems" not in line.split("·")[-1]


def test_no_sentiment_without_moments() -> None:
    line = moments_line(replace(WEEK, moments=0, mean_sentiment=None), by_outcome={})
    assert "No customer moments" in line
