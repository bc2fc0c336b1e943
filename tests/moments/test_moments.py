"""Logging customer moments over signed HTTP: three ways in, one modal, inline errors."""

from __future__ import annotations

import json

from bot.core import ids
from models import CustomerMoment
from tests.support.moments import (
    block_ids,
    counts,
    element,
    only_moment,
    opened_view,
    valid_values,
)
from tests.support.stack import START, SandboxStack

FIELDS = [
    ids.MOMENT_NEW_CUSTOMER,
    ids.MOMENT_TOUCHPOINT,
    ids.MOMENT_OUTCOME,
    ids.MOMENT_WHEN,
    ids.MOMENT_WHAT,
    ids.MOMENT_BACKSTORY,
    ids.MOMENT_CSAT,
    ids.MOMENT_FOLLOWUP,
    ids.MOMENT_STORY,
]


def test_slash_command_opens_the_modal_prefilled(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada", tz="Pacific/Auckland")["id"]
    reply = stack.actor.slash_command(user, "moment They called about a <broken> invoice")
    assert reply.status == 200
    view = opened_view(stack)
    assert block_ids(view) == FIELDS  # no customers yet: no picker
    assert element(view, ids.MOMENT_WHAT)["initial_value"] == "They called about a <broken> invoice"
    # 08:00 UTC on 2 March is already 21:00 on 2 March in Auckland; "today" is the user's.
    assert element(view, ids.MOMENT_WHEN)["initial_date"] == "2026-03-02"
    options = [o["value"] for o in element(view, ids.MOMENT_TOUCHPOINT)["options"]]
    assert options == ["support", "sales", "onboarding", "success", "billing", "other"]
    assert [o["value"] for o in element(view, ids.MOMENT_OUTCOME)["options"]] == [
        "win",
        "neutral",
        "problem",
    ]


def test_submission_stores_the_moment_with_sentiment(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    values = valid_values(
        **{
            ids.MOMENT_BACKSTORY: "Their payroll run was due that afternoon",
            ids.MOMENT_CSAT: 5,
            ids.MOMENT_FOLLOWUP: "2026-03-09",
            ids.MOMENT_STORY: ["yes"],
        }
    )
    reply = stack.actor.submit_view(user, view, values)
    assert reply.status == 200
    assert (reply.json or {}).get("response_action") is None
    (confirmation,) = stack.emulator.wait_for("chat.postEphemeral")
    moment = only_moment(stack)
    assert moment.customer.name == "Globex"
    assert (moment.touchpoint, moment.outcome, moment.csat) == ("support", "win", 5)
    assert moment.happened_on.isoformat() == "2026-03-01"
    assert moment.backstory == "Their payroll run was due that afternoon"
    assert moment.sentiment > 0.15
    assert moment.would_tell_story is True
    assert moment.followup_on is not None
    assert moment.followup_on.isoformat() == "2026-03-09"
    assert moment.source == "command"
    assert confirmation.args["user"] == user
    assert confirmation.args["channel"] == stack.emulator.general_channel().id
    text = json.dumps(confirmation.args["blocks"])
    assert "Globex" in text
    assert "positive" in text
    assert "follow up on 9 Mar 2026" in text
    assert ids.CELEBRATE_MOMENT not in text  # not a lead
    # Logged from a channel: the Home is rebuilt when they open it, not re-published now.
    assert stack.emulator.calls_to("views.publish") == []


def test_existing_customers_are_offered_most_recent_first(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    for count, name in enumerate(["Initech", "globex  CORP"], start=1):
        stack.actor.slash_command(user, "moment")
        view = opened_view(stack, count)
        stack.actor.submit_view(user, view, valid_values(**{ids.MOMENT_NEW_CUSTOMER: name}))
        stack.emulator.wait_for("chat.postEphemeral", count=count)
        stack.clock.advance(START - START.replace(hour=7))  # an hour later
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack, 3)
    picker = element(view, ids.MOMENT_CUSTOMER)
    assert [o["text"]["text"] for o in picker["options"]] == ["globex CORP", "Initech"]
    # Picking one, or typing its name in any case/spacing, lands on the same customer.
    globex = picker["options"][0]["value"]
    stack.actor.submit_view(
        user, view, valid_values(**{ids.MOMENT_CUSTOMER: globex, ids.MOMENT_NEW_CUSTOMER: None})
    )
    stack.emulator.wait_for("chat.postEphemeral", count=3)
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack, 4)
    stack.actor.submit_view(user, view, valid_values(**{ids.MOMENT_NEW_CUSTOMER: "GLOBEXCORP"}))
    stack.emulator.wait_for("chat.postEphemeral", count=4)
    assert counts(stack) == (2, 4)


def test_message_shortcut_opens_the_modal_with_text_and_permalink(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    other = stack.emulator.add_user(name="bo")["id"]
    channel = stack.emulator.add_channel("support", members=[user, other])
    # As Slack sends a message's text: mentions, links and entities in its markup.
    raw = (
        f"Globex says thanks &amp; cheers &lt;3 <@{other}> <@U123> in <#{channel}|support>, "
        "see <https://globex.example/t/1|the ticket> <!here>"
    )
    message = {"type": "message", "user": other, "text": raw}
    posted = stack.runtime.clients.default().chat_postMessage(channel=channel, text="seed")
    message["ts"] = posted["ts"]
    reply = stack.actor.message_shortcut(user, ids.MOMENT_SHORTCUT, message, channel)
    assert reply.status == 200
    (link,) = stack.emulator.wait_for("chat.getPermalink")
    assert (link.args["channel"], link.args["message_ts"]) == (channel, posted["ts"])
    view = opened_view(stack)
    readable = (
        "Globex says thanks & cheers <3 @bo @U123 in #support, "
        "see the ticket (https://globex.example/t/1) @here"
    )
    assert element(view, ids.MOMENT_WHAT)["initial_value"] == readable
    permalink = f"https://{stack.emulator.workspace().domain}.slack.com/archives/{channel}/p"
    assert permalink in json.dumps(view["blocks"][0])
    stack.actor.submit_view(user, view, valid_values(untouched=(ids.MOMENT_WHAT,)))
    (confirmation,) = stack.emulator.wait_for("chat.postEphemeral")
    assert confirmation.args["channel"] == channel
    moment = only_moment(stack)
    assert moment.source == "shortcut"
    assert moment.what_happened == readable
    assert moment.source_permalink is not None
    assert moment.source_permalink.startswith(permalink)


def test_shortcut_without_channel_access_confirms_by_dm(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    private = stack.emulator.add_channel("secret", is_private=True, bot_is_member=False)
    message = {"type": "message", "ts": "1700000000.000100", "text": "Rough call with Initech"}
    stack.actor.message_shortcut(user, ids.MOMENT_SHORTCUT, message, private)
    view = opened_view(stack)  # opens even though the permalink could not be fetched
    assert stack.emulator.calls_to("chat.getPermalink")[0].ok is False
    values = valid_values(untouched=(ids.MOMENT_WHAT,), **{ids.MOMENT_OUTCOME: "problem"})
    stack.actor.submit_view(user, view, values)
    (dm,) = stack.emulator.wait_for("chat.postMessage")
    assert dm.args["channel"] == user
    assert "Rough call with Initech" in json.dumps(dm.args["blocks"])
    assert only_moment(stack).source_permalink is None


def test_app_home_button_opens_the_modal_and_home_lists_my_moments(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.app_home_opened(user)
    (published,) = stack.emulator.wait_for("views.publish")
    home = published.args["view"]
    assert "You haven't logged any moments yet." in json.dumps(home)
    reply = stack.actor.click(
        user, view=stack.emulator.home_views[user], text="Log a customer moment"
    )
    assert reply.status == 200
    view = opened_view(stack)
    stack.actor.submit_view(user, view, valid_values())
    (dm,) = stack.emulator.wait_for("chat.postMessage")  # from Home: no channel, so a DM
    assert dm.args["channel"] == user
    calls = stack.emulator.wait_for("views.publish", count=2)
    assert "Fixed their login in minutes" in json.dumps(calls[-1].args["view"])
    assert only_moment(stack).source == "home"


def test_a_lead_gets_celebrate_this_on_a_win(db_url: str) -> None:
    with SandboxStack.start(db_url, now=START, migrate=False, leads=("ULEAD1",)) as stack:
        stack.emulator.add_user(user_id="ULEAD1", name="lea")
        for count, outcome in enumerate(["win", "problem"], start=1):
            stack.actor.slash_command("ULEAD1", "moment")
            view = opened_view(stack, count)
            stack.actor.submit_view("ULEAD1", view, valid_values(**{ids.MOMENT_OUTCOME: outcome}))
        win, problem = stack.emulator.wait_for("chat.postEphemeral", count=2)
        buttons = [
            e
            for b in win.args["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == ids.CELEBRATE_MOMENT
        ]
        with stack.runtime.sessions() as session:
            first = session.get(CustomerMoment, int(buttons[0]["value"]))
            assert first is not None
            assert first.outcome == "win"
        assert len(buttons) == 1
        assert ids.CELEBRATE_MOMENT not in json.dumps(problem.args["blocks"])


INVALID = [
    (ids.MOMENT_NEW_CUSTOMER, None, "Customer"),
    (ids.MOMENT_NEW_CUSTOMER, "x" * 81, "Customer name"),
    (ids.MOMENT_WHEN, "2026-03-03", "When"),  # the future
    (ids.MOMENT_WHEN, "2025-11-30", "When"),  # 92 days back
    (ids.MOMENT_WHAT, "   ", "What happened"),
    (ids.MOMENT_WHAT, "x" * 10_000, "What happened: keep it under 3,000 characters"),
    (ids.MOMENT_BACKSTORY, "y" * 3001, "Backstory"),
    (ids.MOMENT_CSAT, 7, "CSAT"),
    (ids.MOMENT_CSAT, 0, "CSAT"),
    (ids.MOMENT_FOLLOWUP, "2026-03-01", "Follow-up date"),
]


def test_each_invalid_field_gets_an_inline_error_and_nothing_is_saved(
    stack: SandboxStack,
) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    # The modal stays open after each error, so the same view is submitted again and again.
    for block, value, expected in INVALID:
        reply = stack.actor.submit_view(user, view, valid_values(**{block: value}))
        assert reply.status == 200
        assert reply.json is not None, block
        assert reply.json["response_action"] == "errors"
        assert list(reply.json["errors"]) == [block]
        assert reply.json["errors"][block].startswith(expected), reply.json
        assert counts(stack) == (0, 0)
        assert view["id"] in stack.emulator.open_views
    assert stack.emulator.calls_to("chat.postEphemeral") == []
    # Fixing the fields then succeeds.
    assert stack.actor.submit_view(user, view, valid_values()).json is None
    stack.emulator.wait_for("chat.postEphemeral")
    assert counts(stack) == (1, 1)


def test_all_errors_at_once(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    bad = {
        ids.MOMENT_NEW_CUSTOMER: None,
        ids.MOMENT_WHEN: "2026-04-01",
        ids.MOMENT_WHAT: " ",
        ids.MOMENT_BACKSTORY: "b" * 4000,
        ids.MOMENT_CSAT: 9,
        ids.MOMENT_FOLLOWUP: "2026-02-01",
    }
    reply = stack.actor.submit_view(user, view, valid_values(**bad))
    assert reply.json is not None
    assert set(reply.json["errors"]) == set(bad)
    assert counts(stack) == (0, 0)


def test_a_modal_that_cannot_open_gets_an_apology(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.app_home_opened(user)
    stack.emulator.wait_for("views.publish")
    stack.emulator.inject_fault("views.open", "error", error="expired_trigger_id")
    stack.actor.click(user, view=stack.emulator.home_views[user], action_id=ids.HOME_LOG_MOMENT)
    (dm,) = stack.emulator.wait_for("chat.postMessage")
    assert dm.args["channel"] == user
    assert dm.args["text"].startswith("Sorry, I couldn't open the customer moment form")
