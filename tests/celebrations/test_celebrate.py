"""`/cx celebrate` over signed HTTP: posting once, refusing, escaping, channel trouble."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.core import ids
from tests.support.celebrations import Party, start_party

ZWJ = "\u2060"


def test_lead_celebration_posts_once_with_a_reaction_and_a_dm_each(party: Party) -> None:
    actor, emulator = party.stack.actor, party.emulator
    text = (
        f"celebrate <@{party.alice}> <@{party.bob}|bob> for turning ACME's outage into a "
        "renewal #customerfirst"
    )
    reply = actor.slash_command(party.lead, text)
    assert reply.status == 200
    emulator.wait_for("reactions.add")
    emulator.wait_for("chat.postMessage", lambda c: c.args["channel"].startswith("D"), count=2)
    emulator.wait_for("response_url")
    # Slack retries the very same request: nothing more may happen.
    assert actor.resend(retry_num=1).status == 200
    assert actor.resend(retry_num=2).status == 200
    party.drain()

    [post] = party.posts()
    assert post["text"] == (
        f"🎉 Let's celebrate <@{party.alice}> and <@{party.bob}>: "
        "turning ACME's outage into a renewal"
    )
    blocks = json.dumps(post["blocks"])
    assert "turning ACME's outage into a renewal" in blocks
    assert f"Celebrated by <@{party.lead}>" in blocks
    assert "`#customerfirst`" in blocks
    assert emulator.reactions == [
        {
            "channel": party.channel,
            "timestamp": post["ts"],
            "name": "tada",
            "user": emulator.bot_user_id,
        }
    ]
    for person in (party.alice, party.bob):
        [dm] = party.dms(person)
        assert f"celebrated by <@{party.lead}> in <#{party.channel}>" in dm["text"]
    assert party.dms(party.lead) == []
    [confirmation] = [r.body for r in emulator.responses]
    assert confirmation["text"] == f"🎉 Posted in <#{party.channel}>."
    [row] = party.celebrations()
    assert (row.celebrated_by, row.channel_id, row.message_ts) == (
        party.lead,
        party.channel,
        post["ts"],
    )
    assert sorted(r.slack_user_id for r in row.recipients) == sorted([party.alice, party.bob])
    assert [v.value for v in row.values] == ["customerfirst"]


def test_concurrent_deliveries_of_one_request_post_once(party: Party) -> None:
    actor = party.stack.actor
    actor.slash_command(party.lead, f"celebrate <@{party.alice}> for the hat trick")
    assert actor.last_request is not None
    body, content_type = actor.last_request
    with ThreadPoolExecutor(max_workers=3) as pool:
        replies = list(pool.map(lambda n: actor.send(body, content_type, retry_num=n), range(1, 4)))
    assert all(r.status == 200 for r in replies)
    party.drain()
    assert len(party.posts()) == 1
    assert len(party.emulator.reactions) == 1
    assert len(party.dms(party.alice)) == 1
    assert len(party.celebrations()) == 1


def test_non_lead_is_refused_kindly_and_nothing_is_posted(party: Party) -> None:
    party.stack.actor.slash_command(party.carol, f"celebrate <@{party.alice}> for the save")
    [call] = party.emulator.wait_for("response_url")
    party.drain()
    assert call.args["response_type"] == "ephemeral"
    assert f"Celebrations are posted by leads (<@{party.lead}>)" in call.args["text"]
    buttons = [e for b in call.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["text"]["text"]) for b in buttons] == [
        (ids.CELEBRATE_SUGGEST, "Suggest this to a lead")
    ]
    assert party.posts() == []
    assert party.emulator.reactions == []
    assert party.celebrations() == []


def test_user_text_never_becomes_a_live_mention(party: Party) -> None:
    # As typed in Slack: @channel/@here/<!everyone> are real broadcasts once Slack escapes
    # the command (should_escape), while markup naming nobody arrives entity-escaped.
    typed = (
        f"celebrate <@{party.alice}> for @channel rescuing @here the <@U999> demo "
        "<!everyone> & <https://evil.example|free money> @here"
    )
    party.stack.actor.slash_command(party.lead, typed)
    party.emulator.wait_for("reactions.add")
    party.drain()
    [post] = party.posts()
    safe = (
        f"@{ZWJ}channel rescuing @{ZWJ}here the &lt;@U999&gt; demo @{ZWJ}everyone &amp; "
        f"&lt;https://evil.example|free money&gt; @{ZWJ}here"
    )
    assert post["text"] == f"🎉 Let's celebrate <@{party.alice}>: {safe}"
    sections = [b["text"]["text"] for b in post["blocks"] if b["type"] == "section"]
    assert sections == [f"🎉 *Let's celebrate <@{party.alice}>!*", safe]
    everything = post["text"] + json.dumps(post["blocks"], ensure_ascii=False)
    for live in ("<!channel>", "<!here>", "<!everyone>", "<@U999>", "@here", "@channel", "<http"):
        assert live not in everything
    assert everything.count("<@") == everything.count(f"<@{party.alice}>") + everything.count(
        f"<@{party.lead}>"
    )
    [dm] = party.dms(party.alice)
    in_dm = dm["text"] + json.dumps(dm["blocks"], ensure_ascii=False)
    for live in ("<!channel>", "<!here>", "<!everyone>", "<@U999>", "@here", "<http"):
        assert live not in in_dm
    assert safe in in_dm


def test_missing_mention_or_reason_gets_an_immediate_answer(party: Party) -> None:
    cases = [
        ("celebrate for nothing in particular", "Who are we celebrating?"),
        (f"celebrate <@{party.alice}>", "What are we celebrating them for?"),
        (f"celebrate <@{party.lead}> for being me", "Celebrations are for recognising others"),
    ]
    for text, says in cases:
        reply = party.stack.actor.slash_command(party.lead, text)
        assert reply.json is not None
        assert reply.json["response_type"] == "ephemeral"
        assert says in reply.json["text"]
    party.drain()
    assert party.emulator.calls_to("chat.postMessage") == []
    assert party.celebrations() == []


def test_bots_deactivated_and_unknown_people_are_not_celebrated(party: Party) -> None:
    cases = [(party.robot, "is a bot"), (party.gone, "has been deactivated"), ("U999", "U999")]
    # Slack's client cannot produce a mention of someone it doesn't know; send the wire
    # text as given so the app's own check of users.info is what is tested.
    party.emulator.command_escaping = None
    for user, says in cases:
        party.stack.actor.slash_command(party.lead, f"celebrate <@{party.alice}> <@{user}> for X")
        [call] = party.emulator.wait_for(
            "response_url", lambda c, says=says: says in c.args["text"]
        )
        assert call.args["response_type"] == "ephemeral"
        assert call.args["text"].endswith("Nothing was posted.")
    party.drain()
    assert party.emulator.calls_to("chat.postMessage") == []
    assert party.celebrations() == []


def test_missing_channel_setting_is_explained(db_url: str) -> None:
    with start_party(db_url, celebrations_channel=None) as party:
        party.stack.actor.slash_command(party.lead, f"celebrate <@{party.alice}> for the save")
        [call] = party.emulator.wait_for("response_url")
        party.drain()
        assert "no celebrations channel set up" in call.args["text"]
        assert party.emulator.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("configured", ["name", "id"])
def test_not_in_a_public_channel_joins_and_posts(db_url: str, configured: str) -> None:
    with start_party(db_url, bot_in_channel=False) as party:
        if configured == "id":
            settings = party.stack.runtime.settings
            party.stack.runtime.settings = settings.with_overrides(
                celebrations_channel=party.channel
            )
        party.stack.actor.slash_command(party.lead, f"celebrate <@{party.alice}> for the save")
        party.emulator.wait_for("reactions.add")
        party.drain()
        attempts = party.emulator.calls_to("chat.postMessage")
        assert [c.error for c in attempts[:2]] == ["not_in_channel", None]
        assert [c.args["channel"] for c in party.emulator.calls_to("conversations.join")] == [
            party.channel
        ]
        assert len(party.emulator.calls_to("conversations.list")) == (configured == "name")
        assert len(party.posts()) == 1
        assert len(party.celebrations()) == 1


def test_private_channel_asks_the_lead_to_invite_the_bot(db_url: str) -> None:
    with start_party(db_url, channel_private=True, bot_in_channel=False) as party:
        party.stack.actor.slash_command(party.lead, f"celebrate <@{party.alice}> for the save")
        [call] = party.emulator.wait_for("response_url")
        party.drain()
        assert "`/invite @CX Pulse`" in call.args["text"]
        assert party.posts() == []
        assert party.emulator.calls_to("chat.postMessage", channel=party.channel) == []
        assert party.celebrations() == []


def test_leads_from_a_user_group_celebrate_a_user_group(db_url: str) -> None:
    with start_party(db_url, leads=("@cx-leads",)) as party:
        emulator = party.emulator
        emulator.add_usergroup("cx-leads", "CX leads", [party.lead])
        support = emulator.add_usergroup("support", "Support", [party.alice, party.bob])
        text = f"celebrate <!subteam^{support}|@support> for a calm weekend on call #teamwork"
        party.stack.actor.slash_command(party.lead, text)
        emulator.wait_for("reactions.add")
        emulator.wait_for("chat.postMessage", lambda c: c.args["channel"].startswith("D"), count=2)
        party.drain()
        [post] = party.posts()
        assert post["text"] == f"🎉 Let's celebrate <!subteam^{support}>: a calm weekend on call"
        assert len(party.dms(party.alice)) == len(party.dms(party.bob)) == 1
        [row] = party.celebrations()
        assert sorted(r.slack_user_id for r in row.recipients) == sorted([party.alice, party.bob])


def test_everyone_may_celebrate_when_leads_say_so(db_url: str) -> None:
    with start_party(db_url, leads=("everyone",)) as party:
        party.stack.actor.slash_command(party.carol, f"celebrate <@{party.alice}> for the demo")
        party.emulator.wait_for("reactions.add")
        party.drain()
        [post] = party.posts()
        assert f"Celebrated by <@{party.carol}>" in json.dumps(post["blocks"])
