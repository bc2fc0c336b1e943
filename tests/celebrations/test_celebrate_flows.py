"""Celebration flows over signed HTTP: suggestions to a lead, the modal, "Celebrate this"."""

from __future__ import annotations

import json
from typing import Any

from bot.core import ids
from bot.workspace.store import ensure_team, ensure_workspace
from models import Person
from tests.support.celebrations import Party, start_party, win_moment


def _only_view(party: Party) -> dict[str, Any]:
    [view] = party.emulator.open_views.values()
    return view


def test_suggestion_reaches_a_lead_who_celebrates_with_one_click(party: Party) -> None:
    actor, emulator = party.stack.actor, party.emulator
    suggestion = party.suggest(f"celebrate <@{party.alice}> for the calm handover #teamwork")
    assert suggestion["text"] == (f"💡 <@{party.carol}> suggests celebrating <@{party.alice}>.")
    assert "the calm handover" in json.dumps(suggestion["blocks"])
    emulator.wait_for("response_url", lambda c: "suggested it to" in c.args.get("text", ""))
    assert party.posts() == []

    actor.click(party.lead, message=suggestion, action_id=ids.CELEBRATE_SUGGESTED)
    emulator.wait_for("reactions.add")
    emulator.wait_for("chat.postMessage", lambda c: "celebrated your suggestion" in c.args["text"])
    # A second click on the same button (or Slack retrying it) posts nothing more.
    [updated] = party.dms(party.lead)
    actor.click(party.lead, message=updated, action_id=ids.CELEBRATE_SUGGESTED, retry_num=1)
    party.drain()

    [post] = party.posts()
    assert f"Celebrated by <@{party.lead}>" in json.dumps(post["blocks"])
    assert "the calm handover" in post["text"]
    assert len(emulator.reactions) == 1
    assert len(party.dms(party.alice)) == 1
    assert updated["text"] == f"✅ Celebrated in <#{party.channel}>. Thank you!"
    [thanks] = party.dms(party.carol)
    assert thanks["text"] == (
        f"🎉 <@{party.lead}> celebrated your suggestion in <#{party.channel}>."
    )
    [row] = party.celebrations()
    assert row.celebrated_by == party.lead
    assert [v.value for v in row.values] == ["teamwork"]


def test_a_non_lead_cannot_use_a_suggestion_button(party: Party) -> None:
    actor, emulator = party.stack.actor, party.emulator
    suggestion = party.suggest(f"celebrate <@{party.alice}> for the calm handover")
    actor.click(party.bob, message=suggestion, action_id=ids.CELEBRATE_SUGGESTED)
    emulator.wait_for("response_url", lambda c: "Only leads can celebrate" in c.args["text"])
    party.drain()
    assert party.posts() == []


def _win_moment(party: Party) -> int:
    with party.stack.runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=party.emulator.team_id)
        what = "Turned their <!channel> outage into a renewal"
        return win_moment(session, ws, party.alice, "ACME & Sons", what, display_name="alice")


def test_celebrate_this_opens_a_prefilled_modal_and_links_the_moment(party: Party) -> None:
    actor, emulator = party.stack.actor, party.emulator
    moment_id = _win_moment(party)
    message = party.celebrate_this(moment_id)
    actor.click(party.lead, message=message, action_id=ids.CELEBRATE_MOMENT)
    emulator.wait_for("views.open")
    view = _only_view(party)
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks[ids.CELEBRATE_PEOPLE_BLOCK]["element"]["initial_users"] == [party.alice]
    reason = blocks[ids.CELEBRATE_REASON_BLOCK]["element"]["initial_value"]
    assert reason == "Turned their <!channel> outage into a renewal"

    actor.submit_view(
        party.lead,
        view,
        {
            ids.CELEBRATE_PEOPLE_BLOCK: [party.alice, party.bob],
            ids.CELEBRATE_VALUES_BLOCK: ["customerfirst"],
        },
    )
    emulator.wait_for("reactions.add")
    actor.submit_view(party.lead, view, retry_num=1)  # a double submit of the same modal
    party.drain()

    [post] = party.posts()
    shown = json.dumps(post["blocks"], ensure_ascii=False)
    assert "*Customer moment:* ACME &amp; Sons (a win 🏆)" in shown
    assert "<!channel>" not in post["text"] + shown
    assert "Turned their &lt;!channel&gt; outage into a renewal" in shown
    assert f"<@{party.alice}> and <@{party.bob}>" in post["text"]
    [row] = party.celebrations()
    assert row.moment_id == moment_id
    assert [v.value for v in row.values] == ["customerfirst"]
    assert len(party.dms(party.bob)) == 1


def test_celebrate_this_on_a_missing_moment_or_a_slack_failure_answers_politely(
    party: Party,
) -> None:
    actor, emulator = party.stack.actor, party.emulator
    actor.click(party.lead, message=party.celebrate_this(4242), action_id=ids.CELEBRATE_MOMENT)
    emulator.wait_for("response_url", lambda c: "can't find that customer moment" in c.args["text"])
    emulator.inject_fault("views.open", "error", error="internal_error")
    message = party.celebrate_this(_win_moment(party))
    actor.click(party.lead, message=message, action_id=ids.CELEBRATE_MOMENT)
    emulator.wait_for("response_url", lambda c: c.args["text"].startswith("Sorry, something"))
    party.drain()
    assert party.posts() == []
    assert emulator.open_views == {}


def test_celebrate_without_text_opens_the_modal_and_checks_input(party: Party) -> None:
    actor, emulator = party.stack.actor, party.emulator
    actor.slash_command(party.lead, "celebrate")
    emulator.wait_for("views.open")
    view = _only_view(party)
    reason = ids.CELEBRATE_REASON_BLOCK
    people = ids.CELEBRATE_PEOPLE_BLOCK

    bot_pick = actor.submit_view(party.lead, view, {people: [party.robot], reason: "Helping"})
    assert bot_pick.json is not None
    assert bot_pick.json["response_action"] == "errors"
    assert "is a bot" in bot_pick.json["errors"][people]
    blank = actor.submit_view(party.lead, view, {people: [party.alice], reason: "  !  "})
    assert blank.json is not None
    assert "What are we celebrating" in blank.json["errors"][reason]

    done = actor.submit_view(party.lead, view, {people: [party.alice], reason: "Mentoring"})
    assert done.status == 200
    emulator.wait_for("reactions.add")
    party.drain()
    [post] = party.posts()
    assert post["text"] == f"🎉 Let's celebrate <@{party.alice}>: Mentoring"
    assert party.celebrations()[0].moment_id is None


def test_non_lead_without_text_is_refused_without_a_modal(party: Party) -> None:
    party.stack.actor.slash_command(party.carol, "celebrate")
    [call] = party.emulator.wait_for("response_url")
    party.drain()
    assert "Celebrations are posted by leads" in call.args["text"]
    assert party.emulator.calls_to("views.open") == []


def test_suggestions_prefer_a_lead_in_the_same_team_and_skip_unreachable_leads(
    db_url: str,
) -> None:
    with start_party(db_url) as party:
        emulator, actor = party.emulator, party.stack.actor
        emulator.add_user(user_id="U0AAA", name="aaa", deleted=True)
        emulator.add_user(user_id="U0ZZZ", name="zed")
        settings = party.stack.runtime.settings
        party.stack.runtime.settings = settings.with_overrides(leads=("U0AAA", party.lead, "U0ZZZ"))
        with party.stack.runtime.transaction() as session:
            ws = ensure_workspace(session, slack_team_id=emulator.team_id)
            support = ensure_team(session, workspace=ws, name="Support")
            for uid in (party.carol, "U0ZZZ"):
                session.add(Person(workspace_id=ws.id, slack_user_id=uid, team_id=support.id))

        def suggest() -> None:
            emulator.reset_calls()
            actor.slash_command(party.carol, f"celebrate <@{party.alice}> for the handover")
            emulator.wait_for("response_url")
            refusal = [e for e in emulator.ephemerals if e.get("blocks")][-1]
            actor.click(party.carol, message=refusal, action_id=ids.CELEBRATE_SUGGEST)
            emulator.wait_for("response_url", lambda c: "suggested it to" in c.args["text"])

        suggest()
        assert len(party.dms("U0ZZZ")) == 1  # same team as Carol, though sorted last
        assert party.dms(party.lead) == []
        emulator.workspace().users["U0ZZZ"].deleted = True
        suggest()
        assert len(party.dms(party.lead)) == 1  # U0ZZZ and U0AAA are deactivated now
        opened = [c.args["users"] for c in emulator.calls_to("conversations.open")]
        assert opened == ["U0ZZZ", "U0AAA", party.lead]
        party.drain()
        assert party.posts() == []


def test_a_long_japanese_suggestion_reaches_a_lead_and_is_celebrated(party: Party) -> None:
    actor, emulator = party.stack.actor, party.emulator
    reason = ("チームの皆さん、本当にありがとうございました。" * 30)[:520]
    command = f"celebrate <@{party.alice}> for {reason}"
    assert len(command) >= 533  # its button value, JSON-escaped, would pass 2,000
    suggestion = party.suggest(command)
    emulator.wait_for("response_url", lambda c: "suggested it to" in c.args.get("text", ""))
    actor.click(party.lead, message=suggestion, action_id=ids.CELEBRATE_SUGGESTED)
    emulator.wait_for("reactions.add")
    party.drain()
    [post] = party.posts()
    assert reason[:100] in json.dumps(post["blocks"], ensure_ascii=False)


def test_a_suggestion_too_long_for_a_button_is_answered_clearly(party: Party) -> None:
    actor, emulator = party.stack.actor, party.emulator
    reason = '"\\' * 490 + " thanks"  # under 1,000 characters, over 2,000 once JSON-escaped
    actor.slash_command(party.carol, f"celebrate <@{party.alice}> for {reason}")
    emulator.wait_for("response_url")
    party.drain()
    [refusal] = [e for e in emulator.ephemerals if e["to_user"] == party.carol]
    assert ids.CELEBRATE_SUGGEST not in json.dumps(refusal["blocks"])
    assert "too long to pass on" in refusal["text"]
