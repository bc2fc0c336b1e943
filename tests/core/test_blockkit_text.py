"""Slack's wire text back to what the person typed (for inputs and name look-ups), and user
text escaped to fit a limit or linked only when it is a plain web address."""

from __future__ import annotations

import pytest

from bot.core.text import escape, escape_within, plain, slack_link


@pytest.mark.parametrize(
    ("wire", "typed"),
    [
        ("They called about a &lt;broken&gt; invoice", "They called about a <broken> invoice"),
        ("Q&amp;A &amp;lt; done", "Q&A &lt; done"),
        ("thanks <@U123|alex> and <@U9>", "thanks @alex and @U9"),
        ("in <#C1|general> for <!subteam^S1|@leads>", "in #general for @leads"),
        ("<!here> <!channel> <!subteam^S2>", "@here @channel @S2"),
        (
            "see <https://example.com|the docs> or <https://x.test>",
            "see the docs or https://x.test",
        ),
        ("ACME 日本語 &amp; Co", "ACME 日本語 & Co"),
    ],
)
def test_plain(wire: str, typed: str) -> None:
    assert plain(wire) == typed


def test_plain_then_escape_never_makes_a_live_mention() -> None:
    shown = escape(plain("&lt;!here&gt; <!channel> &lt;@U1&gt;"))
    assert "<" not in shown


@pytest.mark.parametrize(
    ("text", "limit"),
    [("<@U123> & " * 300, 1000), ("&" * 100, 10), ("plain " * 1000, 3000), ("ab", 5), ("&", 4)],
)
def test_escape_within_always_fits(text: str, limit: int) -> None:
    shown = escape_within(text, limit)
    assert len(shown) <= limit
    assert "<" not in shown


def test_escape_within_keeps_short_text_whole() -> None:
    assert escape_within("a <b> & c", 100) == "a &lt;b&gt; &amp; c"


@pytest.mark.parametrize(
    "url",
    [None, "", "javascript:alert(1)", "https://x.example/a|b", "https://x.example/<@U1>"],
)
def test_slack_link_refuses_anything_but_a_plain_web_address(url: str | None) -> None:
    assert slack_link(url, "label") is None
