"""Helpers for the hostile-input tests: adversarial strategies and output scanners."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from models import Base
from slack_emulator.blocks import MESSAGE_BLOCK_LIMIT, validate_blocks
from slack_emulator.emulator import SlackEmulator

ADVERSARIAL = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S0TEAM|@team>",
    "@here",
    "@channel",
    "@everyone",
    "<@U0VICTIM>",
    "<@W0VICTIM|victim>",
    "<#C0SECRET|secret>",
    "<https://evil.example|click me>",
    "'; DROP TABLE person; --",
    '" OR 1=1 --',
    "\x00",
    "\x1b[31m",
    "\u202e\u2066",
    "\u200f",
    "مرحبا بالعالم",
    "שלום",
    "\r\n",
    "&lt;!channel&gt;",
    "```",
    "*bold* _it_ ~s~",
    "%00%0d%0a",
    "payload",
    "payload={}",
    '{"type":"block_actions"}',
    "\\",
    "help",
    "HELP",
    "🎉👩🏽‍💻",
    "Ω≈ç√∫",
]
# A Slack-ish broadcast or user mention, live (unescaped), or a bare broadcast word.
LIVE_BROADCAST = re.compile(
    r"<!(channel|here|everyone|subteam\^)|(?<![\w\u2060])@(here|channel|everyone)\b", re.I
)
LIVE_USER = re.compile(r"<@([UW][A-Z0-9]+)")

words = st.one_of(st.sampled_from(ADVERSARIAL), st.text(max_size=30))
hostile_text = st.one_of(
    st.text(max_size=300),
    st.lists(words, max_size=12).map(" ".join),
    st.sampled_from(["a", "<!channel>", "é", "\u202e"]).map(lambda s: s * 10_000),
)
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def texts_in(value: Any) -> Iterable[str]:
    """Every string inside a JSON-like value (keys excluded)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts_in(item)


def unrequested_mentions(value: Any, allowed_users: set[str]) -> list[str]:
    """Live broadcasts anywhere in ``value``, and user mentions not in ``allowed_users``."""
    found: list[str] = []
    for text in texts_in(value):
        found += [m.group(0) for m in LIVE_BROADCAST.finditer(text)]
        found += [m.group(0) for m in LIVE_USER.finditer(text) if m.group(1) not in allowed_users]
    return found


def emulator_output(emulator: SlackEmulator) -> list[Any]:
    """Everything the app has sent to Slack so far: Web API calls and response_url posts."""
    return [call.args for call in emulator.calls] + [post.body for post in emulator.responses]


def ack_problems(body: dict[str, Any] | None) -> list[str]:
    """Block Kit errors in an ack's answer (Slack would refuse to show it)."""
    if not body or "blocks" not in body:
        return []
    return validate_blocks(body["blocks"], MESSAGE_BLOCK_LIMIT)


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table: a request that stores nothing leaves these unchanged.

    ``handled_request`` is left out: every event and submission is recorded there (its id,
    so a retry is not worked on twice), whatever it held.
    """
    with engine.connect() as conn:
        return {
            table.name: int(conn.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
            if table.name != "handled_request"
        }
