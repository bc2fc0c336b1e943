"""Each button value is read back by the function that sits beside the one that wrote it."""

from __future__ import annotations

import pytest

from bot.customers.views import done_value, more_value, read_done_value, read_more_value
from bot.pulse.views import extra_value, read_extra_value, read_score_value, score_value


def test_pulse_buttons_round_trip() -> None:
    assert read_score_value(score_value(12, 4)) == ("12", 4)
    assert read_extra_value(extra_value(12, "enps", 9)) == ("12", "enps", 9)


@pytest.mark.parametrize("bad", ["", "12", "12:x", "1:2:3"])
def test_a_forged_face_value_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - int() or unpacking, both ValueError
        read_score_value(bad)


def test_timeline_buttons_round_trip() -> None:
    assert read_more_value(more_value(3, 10)) == (3, 10)
    assert read_done_value(done_value(42)) == 42
    assert read_more_value("3") is None
    assert read_done_value("-1") is None
    assert read_done_value(str(2**31)) is None
