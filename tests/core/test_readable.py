"""Slack's message markup turned into the text a person reads."""

from __future__ import annotations

import pytest

from bot.core.text import mentioned_users, readable


@pytest.mark.parametrize(
    ("markup", "shown"),
    [
        ("thanks <@U1> &amp; <@U2|bo>", "thanks @Ann & @bo"),
        ("<@W9> said 3 &lt; 4 &gt; 2", "@W9 said 3 < 4 > 2"),
        ("in <#C1|support> and <#C2>", "in #support and #C2"),
        ("<!here> <!channel> <!subteam^S1|@cx-team>", "@here @channel @cx-team"),
        ("<https://x.example/a?b=1&amp;c=2|the page>", "the page (https://x.example/a?b=1&c=2)"),
        ("<https://x.example> <mailto:a@b.example|a@b.example>", "https://x.example a@b.example"),
        ("&amp;lt; stays literal", "&lt; stays literal"),
        ("ありがとう <@U1>！", "ありがとう @Ann！"),
        ("a <broken> invoice", "a <broken> invoice"),  # typed, not markup
    ],
)
def test_markup_becomes_readable(markup: str, shown: str) -> None:
    assert readable(markup, {"U1": "Ann"}) == shown


def test_mentions_are_found_once_in_order() -> None:
    assert mentioned_users("<@U2> <#C1> <@U1|a> <@U2>") == ["U2", "U1"]
