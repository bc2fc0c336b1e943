"""`/cx customer NAME` over signed HTTP, and hostile text stored faithfully, shown escaped."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from bot.core import ids
from bot.moments.store import MomentDraft, log_moment
from bot.workspace.store import ensure_workspace
from models import Customer, CustomerMoment, Person
from tests.support.moments import only_moment, opened_view, valid_values
from tests.support.stack import SandboxStack


def _seed(stack: SandboxStack, user_id: str, name: str, days: list[int]) -> None:
    """Moments with ``name`` on 1 March + each day offset, logged by ``user_id``."""
    with stack.runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=stack.emulator.team_id)
        person = Person(workspace_id=ws.id, slack_user_id=user_id, tz="UTC")
        session.add(person)
        session.flush()
        for day in days:
            draft = MomentDraft(
                new_customer_name=name,
                touchpoint="support",
                outcome="win" if day % 2 else "problem",
                happened_on=date(2026, 2, 20 + day).isoformat(),
                what_happened=f"story {day}",
                csat=str(1 + day % 5),
            )
            assert log_moment(session, workspace=ws, person=person, draft=draft, now=stack.clock())


def _sections(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def _stories(blocks: list[dict[str, Any]]) -> list[str]:
    return [line[1:] for text in _sections(blocks) for line in text.split("\n") if line[:1] == ">"]


def test_timeline_newest_first_paged_with_more(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    _seed(stack, user, "Acme Corp", [3, 1, 7, 5, 2, 6, 4])
    reply = stack.actor.slash_command(user, "customer   ACME   corp ")
    assert reply.json is not None
    assert reply.json["response_type"] == "ephemeral"
    blocks = reply.json["blocks"]
    assert blocks[0]["text"]["text"] == "Acme Corp"
    assert _sections(blocks)[0] == (
        "7 moments · 🏆 4 wins · 😐 0 neutral · ⚠️ 3 problems · mean CSAT 2.9/5"
    )
    assert _stories(blocks) == ["story 7", "story 6", "story 5", "story 4", "story 3"]
    assert _sections(blocks)[1].startswith(
        f"*27 Feb 2026* · 🏆 Win · Support · CSAT 3/5 · logged by <@{user}>"
    )
    message = {
        "blocks": blocks,
        "ts": "1772438400.000100",
        "channel": stack.emulator.general_channel().id,
        "is_ephemeral": True,
    }
    assert stack.actor.click(user, message=message, action_id=ids.CUSTOMER_MORE).status == 200
    (more,) = stack.emulator.wait_for("response_url")
    assert _stories(more.args["blocks"]) == ["story 2", "story 1"]
    assert ids.CUSTOMER_MORE not in json.dumps(more.args["blocks"])
    assert "Showing 6–7 of 7" in json.dumps(more.args["blocks"], ensure_ascii=False)


def test_unknown_customer_gets_closest_matches(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    _seed(stack, user, "Acme Corp", [1])
    with stack.runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=stack.emulator.team_id)
        created = stack.clock() - timedelta(days=1)  # older than Acme's moment
        session.add(
            Customer(workspace_id=ws.id, name="Initech", name_key="initech", created_at=created)
        )
    reply = stack.actor.slash_command(user, "customer Acme Crop")
    assert reply.json is not None
    (text,) = _sections(reply.json["blocks"])
    assert text.startswith("I don't know a customer called *Acme Crop*.")
    assert "Did you mean *Acme Corp*?" in text
    assert "Initech" not in text
    empty = stack.actor.slash_command(user, "customer")
    assert empty.json is not None
    assert "Recent customers: *Acme Corp*, *Initech*" in _sections(empty.json["blocks"])[0]


HOSTILE = (
    "<!channel> hi <@U123> *bold* _it_ ~no~ `code` @everyone 🎉🦄 "
    "مرحبا بالعالم '; DROP TABLE customer_moment; -- & &amp; <https://evil.example|click>"
)
HOSTILE_SHOWN = (
    "&lt;!channel&gt; hi &lt;@U123&gt; *bold* _it_ ~no~ `code` @\u2060everyone 🎉🦄 "
    "مرحبا بالعالم '; DROP TABLE customer_moment; -- &amp; &amp;amp; "
    "&lt;https://evil.example|click&gt;"
)
HOSTILE_NAME = "<!here> Robert'); DROP TABLE customer;-- 🦄"
HOSTILE_NAME_SHOWN = "&lt;!here&gt; Robert'); DROP TABLE customer;-- 🦄"
LONG = "<@U123> & " * 300  # exactly 3,000 characters: the limit, so it is stored


def _mrkdwn(node: Any) -> list[str]:
    """Every text Slack parses for mentions and links (plain_text is shown as is)."""
    if isinstance(node, list):
        return [t for item in node for t in _mrkdwn(item)]
    if not isinstance(node, dict):
        return []
    found = [node["text"]] if node.get("type") == "mrkdwn" else []
    if isinstance(node.get("text"), str) and "type" not in node:
        found.append(node["text"])  # a message's own fallback text
    return found + [t for key, value in node.items() if key != "text" for t in _mrkdwn(value)]


def _no_live_markup(payload: Any) -> None:
    dumped = json.dumps(_mrkdwn(payload), ensure_ascii=False)
    assert dumped != "[]"
    for live in ("<!channel>", "<!here>", "<@U123>", "<https://evil", " @everyone"):
        assert live not in dumped


def test_hostile_text_is_stored_faithfully_and_shown_escaped(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    values = valid_values(
        **{
            ids.MOMENT_NEW_CUSTOMER: HOSTILE_NAME,
            ids.MOMENT_WHAT: HOSTILE,
            ids.MOMENT_BACKSTORY: LONG,
        }
    )
    assert stack.actor.submit_view(user, view, values).json is None
    (confirmation,) = stack.emulator.wait_for("chat.postEphemeral")
    moment = only_moment(stack)
    assert moment.what_happened == HOSTILE
    assert moment.backstory == LONG
    assert moment.customer.name == HOSTILE_NAME
    with stack.runtime.sessions() as session:  # the SQL in the text did nothing
        assert len(session.scalars(select(CustomerMoment)).all()) == 1

    sections = _sections(confirmation.args["blocks"])
    assert sections[0] == f"✅ Logged: 🏆 Win with *{HOSTILE_NAME_SHOWN}* · Support, 1 Mar 2026"
    assert sections[1] == ">" + HOSTILE_SHOWN
    _no_live_markup(confirmation.args)

    reply = stack.actor.slash_command(user, "customer <!HERE>  robert'); drop table customer;-- 🦄")
    assert reply.json is not None
    blocks = reply.json["blocks"]
    # A header is plain_text: Slack shows it as typed (no mention, no link), so unescaped.
    shown = "<\u2060!here> Robert'); DROP TABLE customer;-- 🦄"  # a word joiner: never markup
    assert blocks[0]["text"] == {"type": "plain_text", "text": shown, "emoji": True}
    entry = _sections(blocks)[1]
    head, story, backstory = entry.split("\n")
    assert head == f"*1 Mar 2026* · 🏆 Win · Support · logged by <@{user}>"
    assert story == ">" + HOSTILE_SHOWN
    assert backstory.startswith("_Backstory:_ &lt;@U123&gt; &amp; &lt;@U123&gt;")
    assert backstory.endswith("…")
    assert len(backstory) <= len("_Backstory:_ ") + 1000
    _no_live_markup(reply.json)

    assert stack.actor.app_home_opened(user).status == 200
    (home,) = stack.emulator.wait_for("views.publish")
    assert HOSTILE_SHOWN[:150] in json.dumps(home.args["view"], ensure_ascii=False)
    _no_live_markup(home.args)
