"""The pure Block Kit builders for moments: limits, escaping, private_metadata."""

from __future__ import annotations

import json
from datetime import date

import pytest
from slack_sdk.models.views import View

from bot.core import ids
from bot.moments.logged_views import LoggedMoment, build_confirmation
from bot.moments.views import ModalOrigin, build_moment_modal


def test_origin_round_trips_and_garbage_means_command() -> None:
    origin = ModalOrigin("shortcut", "C1", "https://x.slack.com/archives/C1/p1")
    assert ModalOrigin.load(origin.dump()) == origin
    for garbage in ("", "not json", "[]", '{"s": 1}'):
        assert ModalOrigin.load(garbage).source in ("command", "1")


def test_modal_caps_prefill_and_option_text() -> None:
    view = build_moment_modal(
        customers=[(1, "N" * 200)],
        today=date(2026, 3, 2),
        origin=ModalOrigin("command"),
        prefill="p" * 5000,
    )
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert len(blocks[ids.MOMENT_WHAT]["element"]["initial_value"]) == 3000
    option = blocks[ids.MOMENT_CUSTOMER]["element"]["options"][0]
    assert len(option["text"]["text"]) <= 75
    assert len(view["title"]["text"]) <= 24
    assert len(view["private_metadata"]) <= 3000


@pytest.mark.parametrize("customers", [[], [(1, "Globex"), (2, "N" * 90)]])
def test_modal_is_what_slack_sdk_validates(customers: list[tuple[int, str]]) -> None:
    # The fixed parts are validated once and reused: the result must still be exactly
    # what slack_sdk builds, and one modal's blocks must not leak into the next.
    origin = ModalOrigin("shortcut", "C1", "https://x.slack.com/archives/C1/p1")
    view = build_moment_modal(customers=customers, today=date(2026, 3, 2), origin=origin)
    assert View(**view).to_dict() == view
    view["blocks"][-1]["label"]["text"] = "changed"
    view["title"]["text"] = "changed"
    again = build_moment_modal(customers=customers, today=date(2026, 3, 2), origin=origin)
    assert "changed" not in json.dumps(again)


def _logged(outcome: str) -> LoggedMoment:
    return LoggedMoment(
        moment_id=7,
        customer="Globex",
        outcome=outcome,
        touchpoint="sales",
        happened_on=date(2026, 3, 2),
        what_happened="x" * 3000,
        csat=None,
        sentiment=0.0,
        followup_on=None,
    )


def test_celebrate_button_only_for_a_lead_on_a_win() -> None:
    def has_button(blocks: list[dict[str, object]]) -> bool:
        return ids.CELEBRATE_MOMENT in json.dumps(blocks)

    assert has_button(build_confirmation(_logged("win"), can_celebrate=True))
    assert not has_button(build_confirmation(_logged("win"), can_celebrate=False))
    assert not has_button(build_confirmation(_logged("problem"), can_celebrate=True))
    quote = build_confirmation(_logged("win"), can_celebrate=False)[1]["text"]["text"]
    assert len(quote) <= 601


def test_change_button_value_round_trips_and_rejects_anything_else() -> None:
    from bot.moments.logged_views import change_button_value, read_change_button

    assert read_change_button(change_button_value(7, "problem")) == (7, "problem")
    assert read_change_button(change_button_value(7, "win")) == (7, "win")
    for forged in ("", "7", "7:neutral", "7:other", "x:win", "-1:win", "99999999999:win", "٣:win"):
        assert read_change_button(forged) is None, forged


def test_confirmation_hints_only_when_the_story_clearly_reads_the_other_way() -> None:
    from dataclasses import replace

    from bot.moments.sentiment import CLEAR_READING

    def hinted(outcome: str, sentiment: float) -> bool:
        blocks = build_confirmation(
            replace(_logged(outcome), sentiment=sentiment), can_celebrate=False
        )
        return ids.MOMENT_CHANGE_OUTCOME in json.dumps(blocks)

    assert hinted("win", -CLEAR_READING)
    assert hinted("problem", CLEAR_READING)
    assert not hinted("win", -CLEAR_READING / 2)
    assert not hinted("win", 0.9)
    assert not hinted("neutral", -0.9)
