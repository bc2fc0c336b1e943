"""Slack's wire text back to what the person typed (for inputs and name look-ups)."""

from __future__ import annotations

import pytest

from bot.core.text import escape, plain


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
