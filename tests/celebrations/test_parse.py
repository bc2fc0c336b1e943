"""Reading `/cx celebrate` text as Slack sends it, and the checks before posting."""

from __future__ import annotations

import pytest

from bot.celebrations.store import (
    MAX_REASON_CHARS,
    CelebrationError,
    Piece,
    check_celebration,
    from_form,
    parse_celebration,
)
from bot.celebrations.views import build_celebration_post, reason_chunks

VALUES = ("customerfirst", "ownership", "teamwork")


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_celebration(text, company_values=VALUES)


def test_mentions_for_reason_and_value() -> None:
    parsed = parse("<@U111> <@U222|bob> for turning ACME's outage into a renewal #customerfirst")
    assert parsed.people == ("U111", "U222")
    assert parsed.groups == ()
    assert parsed.values == ("customerfirst",)
    assert parsed.reason_text == "turning ACME's outage into a renewal"


def test_for_is_optional_and_joiners_are_skipped() -> None:
    parsed = parse("<@U111>, <@U222> and <@U333> shipped the fix #teamwork #ownership")
    assert parsed.people == ("U111", "U222", "U333")
    assert parsed.reason_text == "shipped the fix"
    assert parsed.values == ("teamwork", "ownership")


def test_user_groups_with_and_without_handle() -> None:
    parsed = parse("<!subteam^S0AB1|@support> <!subteam^S0AB2> for a calm weekend on call")
    assert parsed.groups == ("S0AB1", "S0AB2")
    assert parsed.people == ()
    assert parsed.reason_text == "a calm weekend on call"


def test_unknown_tags_stay_in_the_text_and_known_inner_tags_count() -> None:
    parsed = parse("<@U111> for real #ownership of the #nightshift rota #madness")
    assert parsed.values == ("ownership",)
    # Trailing tags are only stripped when they are all known values.
    assert parsed.reason_text == "real #ownership of the #nightshift rota #madness"


def test_values_match_case_insensitively_and_once() -> None:
    parsed = parse("<@U111> for it #TeamWork #teamwork")
    assert parsed.values == ("teamwork",)
    assert parsed.reason_text == "it"


def test_mentions_inside_the_reason_are_celebrated_too() -> None:
    parsed = parse("<@U111> for pairing with <@U222|bo> on the migration")
    assert parsed.people == ("U111", "U222")
    assert parsed.reason == (
        Piece("text", "pairing with ", typed=True),
        Piece("user", "U222", "bo"),
        Piece("text", " on the migration", typed=True),
    )
    assert parsed.reason_text == "pairing with @bo on the migration"


def test_no_leading_mentions_keeps_the_whole_sentence() -> None:
    parsed = parse("Huge thanks to <@U111> for the demo")
    assert parsed.people == ("U111",)
    assert parsed.reason_text == "Huge thanks to @U111 for the demo"


def test_typed_control_sequences_are_text_not_mentions() -> None:
    # Slack escapes what people type: a typed <@U999> arrives as &lt;@U999&gt;.
    parsed = parse("<@U111> for <!channel> and <!here|@here> fun &lt;@U999&gt; &amp; more")
    assert parsed.people == ("U111",)
    assert parsed.reason_text == "@channel and @here fun <@U999> & more"


def test_links_become_their_label_and_channels_their_name() -> None:
    parsed = parse("<@U111> for <https://evil.example|the docs> in <#C123|support> #teamwork")
    assert parsed.reason_text == "the docs in #support"
    assert parsed.values == ("teamwork",)


def test_rendered_post_has_only_the_parsed_mentions_live() -> None:
    parsed = parse("<@U111> for <!channel> @here &lt;@U999&gt; &lt;!everyone&gt; a &amp; b")
    text, blocks = build_celebration_post(parsed, celebrated_by="ULEAD")
    rendered = text + str(blocks)
    for forbidden in ("<!channel>", "<!here>", "<!everyone>", "<@U999>", "@here", "@channel"):
        assert forbidden not in rendered
    assert "<@U111>" in rendered
    assert "<@ULEAD>" in rendered
    assert "&lt;@U999&gt;" in rendered
    assert "a &amp; b" in rendered


def test_long_escaped_reasons_are_split_into_sections_without_cutting_entities() -> None:
    chunks = reason_chunks([Piece("text", "&" * MAX_REASON_CHARS, typed=True)], limit=2900)
    assert len(chunks) == 2
    assert all(len(c) <= 2900 for c in chunks)
    assert "".join(chunks) == "&amp;" * MAX_REASON_CHARS


@pytest.mark.parametrize(
    ("text", "field", "says"),
    [
        ("for nothing in particular", "people", "Who are we celebrating"),
        ("<@U111>", "reason", "What are we celebrating them for"),
        ("<@U111> for #teamwork", "reason", "What are we celebrating them for"),
        ("<@U111> for " + "x" * (MAX_REASON_CHARS + 1), "reason", "keep it under"),
        ("<@ULEAD> for being me", "people", "recognising others"),
        (" ".join(f"<@U{n:03d}>" for n in range(31)) + " for all", "people", "more than 30"),
    ],
)
def test_checks_give_a_friendly_reason(text: str, field: str, says: str) -> None:
    with pytest.raises(CelebrationError, match=says) as caught:
        check_celebration(parse(text), celebrated_by="ULEAD")
    assert caught.value.field == field


def test_a_lead_may_celebrate_a_team_win_they_are_part_of() -> None:
    check_celebration(parse("<@ULEAD> <@U111> for the launch"), celebrated_by="ULEAD")


def test_form_input_is_raw_text_and_picked_values() -> None:
    parsed = from_form(
        people=["U111", "U111"],
        reason="  Saved <!channel> the day #ownership ",
        values=["teamwork", "not-a-value"],
        company_values=VALUES,
    )
    assert parsed.people == ("U111",)
    assert parsed.values == ("teamwork", "ownership")
    assert parsed.reason_text == "Saved <!channel> the day #ownership"
    text, blocks = build_celebration_post(parsed, celebrated_by="ULEAD")
    assert "<!channel>" not in text + str(blocks)
