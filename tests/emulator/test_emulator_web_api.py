"""The emulator answers the Web API like Slack, seen through a real slack_sdk WebClient."""

from __future__ import annotations

import json
import threading

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_emulator import SlackEmulator


def _error(call: object) -> dict[str, object]:
    """Return the error envelope of a failing slack_sdk call."""
    assert callable(call)
    with pytest.raises(SlackApiError) as raised:
        call()
    data: dict[str, object] = raised.value.response.data
    return data


BUTTON_BLOCKS = [
    {
        "type": "section",
        "block_id": "ask",
        "text": {"type": "mrkdwn", "text": "How was your week?"},
        "accessory": {
            "type": "button",
            "action_id": "answer",
            "text": {"type": "plain_text", "text": "Answer"},
            "value": "w1",
        },
    }
]


def test_auth_test_envelope(emulator: SlackEmulator, client: WebClient) -> None:
    reply = client.auth_test()
    assert reply.status_code == 200
    assert reply["ok"] is True
    assert reply["team_id"] == "T0SANDBOX"
    assert reply["user_id"] == emulator.bot_user_id == "UBOTSANDBOX"
    assert reply["is_enterprise_install"] is False
    assert reply["url"].startswith("https://")


def test_bad_or_missing_token(emulator: SlackEmulator) -> None:
    bad = WebClient(base_url=emulator.api_url, token="xoxb-nope")
    assert _error(bad.auth_test) == {"ok": False, "error": "invalid_auth"}
    anonymous = WebClient(base_url=emulator.api_url)
    assert _error(anonymous.auth_test)["error"] == "not_authed"
    assert [c.error for c in emulator.calls] == ["invalid_auth", "not_authed"]


def test_unknown_method_and_missing_arguments(emulator: SlackEmulator, client: WebClient) -> None:
    assert _error(lambda: client.api_call("chat.frobnicate"))["error"] == "unknown_method"
    data = _error(lambda: client.api_call("chat.postMessage", json={"text": "hi"}))
    assert data["error"] == "invalid_arguments"
    assert data["response_metadata"] == {"messages": ["[ERROR] missing required field: channel"]}
    assert not any(c.ok for c in emulator.calls)


def test_users_list_paginates_through_slack_sdk(emulator: SlackEmulator, client: WebClient) -> None:
    for i in range(450):
        emulator.add_user(name=f"user{i}", real_name=f"User {i}")
    sizes: list[int] = []
    ids: list[str] = []
    # slack_sdk's iteration follows next_cursor, reusing one response object per page.
    for page in client.users_list(limit=200):
        sizes.append(len(page["members"]))
        ids += [m["id"] for m in page["members"]]
    assert sizes == [200, 200, 52]  # 450 people + Slackbot and the bot
    assert page["response_metadata"]["next_cursor"] == ""
    assert len(set(ids)) == 452
    assert "USLACKBOT" in ids
    assert _error(lambda: client.users_list(cursor="bogus"))["error"] == "invalid_cursor"


def test_user_object_shape(emulator: SlackEmulator, client: WebClient) -> None:
    added = emulator.add_user(name="ada", real_name="Ada L", tz="Europe/London", email="a@x.io")
    user = client.users_info(user=added["id"])["user"]
    assert user["tz"] == "Europe/London"
    assert user["tz_offset"] in (0, 3600)
    assert user["profile"]["email"] == "a@x.io"
    assert user["profile"]["display_name"] == "ada"
    slackbot = client.users_info(user="USLACKBOT")["user"]
    assert slackbot["is_bot"] is False
    assert _error(lambda: client.users_info(user="UNOPE"))["error"] == "user_not_found"


def test_locale_only_with_include_locale(emulator: SlackEmulator, client: WebClient) -> None:
    """As Slack: users.info and users.list carry ``locale`` only when asked for it."""
    added = emulator.add_user(name="kim", locale="ja-JP")
    assert "locale" not in client.users_info(user=added["id"])["user"]
    assert client.users_info(user=added["id"], include_locale=True)["user"]["locale"] == "ja-JP"
    plain = client.users_list()["members"]
    assert all("locale" not in m for m in plain)
    listed = {m["id"]: m for m in client.users_list(include_locale=True)["members"]}
    assert listed[added["id"]]["locale"] == "ja-JP"


def test_conversations_open_is_stable(emulator: SlackEmulator, client: WebClient) -> None:
    ada = emulator.add_user(name="ada")["id"]
    first = client.conversations_open(users=ada)["channel"]["id"]
    again = client.conversations_open(users=ada)
    assert first.startswith("D")
    assert again["channel"]["id"] == first
    assert again["already_open"] is True
    gone = emulator.add_user(name="gone", deleted=True)["id"]
    robot = emulator.add_user(name="robot", is_bot=True)["id"]
    assert _error(lambda: client.conversations_open(users=gone))["error"] == "user_disabled"
    assert _error(lambda: client.conversations_open(users=robot))["error"] == "cannot_dm_bot"
    assert _error(lambda: client.conversations_open(users="UNOPE"))["error"] == "user_not_found"


def test_post_message_where_the_bot_may_post(emulator: SlackEmulator, client: WebClient) -> None:
    ada = emulator.add_user(name="ada")["id"]
    reply = client.chat_postMessage(channel=ada, text="hi", blocks=BUTTON_BLOCKS)
    dm = reply["channel"]
    assert dm == client.conversations_open(users=ada)["channel"]["id"]
    assert reply["message"]["user"] == emulator.bot_user_id
    assert emulator.messages(dm)[0]["blocks"] == BUTTON_BLOCKS
    outside = emulator.add_channel("outside", bot_is_member=False)
    assert _error(lambda: client.chat_postMessage(channel=outside, text="x"))["error"] == (
        "not_in_channel"
    )
    client.conversations_join(channel=outside)
    assert client.chat_postMessage(channel="#outside", text="now")["channel"] == outside
    secret = emulator.add_channel("secret", is_private=True, bot_is_member=False)
    assert _error(lambda: client.conversations_join(channel=secret))["error"] == (
        "method_not_supported_for_channel_type"
    )
    assert _error(lambda: client.chat_postMessage(channel="C404", text="x"))["error"] == (
        "channel_not_found"
    )
    no_text = lambda: client.api_call("chat.postMessage", json={"channel": ada})  # noqa: E731
    assert _error(no_text)["error"] == "no_text"


def test_timestamps_increase_and_blocks_get_ids(emulator: SlackEmulator, client: WebClient) -> None:
    first = client.chat_postMessage(channel="general", text="1")["ts"]
    second = client.chat_postMessage(channel="general", text="2", blocks=[{"type": "divider"}])
    assert float(second["ts"]) > float(first)
    assert second["message"]["blocks"][0]["block_id"]  # Slack fills in missing block ids
    duplicate = [{"type": "divider", "block_id": "a"}, {"type": "divider", "block_id": "a"}]
    assert (
        _error(lambda: client.chat_postMessage(channel="general", text="d", blocks=duplicate))[
            "error"
        ]
        == "invalid_blocks"
    )


def test_form_encoded_blocks_are_recorded_decoded(
    emulator: SlackEmulator, client: WebClient
) -> None:
    data = {"channel": "general", "text": "t", "blocks": json.dumps(BUTTON_BLOCKS)}
    client.api_call("chat.postMessage", data=data)
    [call] = emulator.calls_to("chat.postMessage")
    assert call.args["blocks"] == BUTTON_BLOCKS
    assert call.team_id == "T0SANDBOX"


def test_update_ephemeral_permalink_reaction(emulator: SlackEmulator, client: WebClient) -> None:
    ada = emulator.add_user(name="ada")["id"]
    posted = client.chat_postMessage(channel="general", text="old", blocks=BUTTON_BLOCKS)
    channel, ts = posted["channel"], posted["ts"]
    client.chat_update(channel=channel, ts=ts, text="new")
    [message] = emulator.messages(channel)
    assert message["text"] == "new"
    assert message["blocks"] == BUTTON_BLOCKS  # blocks left out of chat.update are kept
    assert _error(lambda: client.chat_update(channel=channel, ts="1.2", text="x"))["error"] == (
        "message_not_found"
    )
    eph = client.chat_postEphemeral(channel=channel, user=ada, text="psst")
    assert eph["message_ts"]
    assert emulator.ephemerals[-1]["to_user"] == ada
    link = client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    assert link.endswith("p" + ts.replace(".", ""))
    client.reactions_add(channel=channel, timestamp=ts, name="tada")
    assert (
        _error(lambda: client.reactions_add(channel=channel, timestamp=ts, name="tada"))["error"]
        == "already_reacted"
    )
    assert emulator.reactions == [
        {"channel": channel, "timestamp": ts, "name": "tada", "user": emulator.bot_user_id}
    ]


MODAL = {
    "type": "modal",
    "callback_id": "story",
    "title": {"type": "plain_text", "text": "Share a story"},
    "submit": {"type": "plain_text", "text": "Send"},
    "blocks": [
        {
            "type": "input",
            "block_id": "text",
            "label": {"type": "plain_text", "text": "Story"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}


def test_views_open_trigger_rules(emulator: SlackEmulator, client: WebClient) -> None:
    ada = emulator.add_user(name="ada")["id"]
    assert _error(lambda: client.views_open(trigger_id="123.456.abc", view=MODAL))["error"] == (
        "invalid_trigger_id"
    )
    trigger = emulator.issue_trigger_id(emulator.team_id, ada)
    view = client.views_open(trigger_id=trigger, view=MODAL)["view"]
    assert view["id"].startswith("V")
    assert view["state"] == {"values": {}}
    assert view["callback_id"] == "story"
    assert view["id"] in emulator.open_views
    assert _error(lambda: client.views_open(trigger_id=trigger, view=MODAL))["error"] == (
        "exchanged_trigger_id"
    )
    stale = emulator.issue_trigger_id(emulator.team_id, ada)
    emulator.state.triggers[stale].issued_at -= 10
    assert _error(lambda: client.views_open(trigger_id=stale, view=MODAL))["error"] == (
        "expired_trigger_id"
    )
    updated = client.views_update(view_id=view["id"], view={**MODAL, "callback_id": "v2"})
    assert updated["view"]["callback_id"] == "v2"
    assert (
        _error(lambda: client.views_update(view_id=view["id"], hash="0.x", view=MODAL))["error"]
        == "hash_conflict"
    )
    assert _error(lambda: client.views_update(view_id="VNOPE", view=MODAL))["error"] == "not_found"


def test_views_publish_and_usergroups(emulator: SlackEmulator, client: WebClient) -> None:
    ada = emulator.add_user(name="ada")["id"]
    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
    }
    first = client.views_publish(user_id=ada, view=home)["view"]
    again = client.views_publish(user_id=ada, view=home)["view"]
    assert first["id"] == again["id"]
    assert emulator.home_views[ada]["type"] == "home"
    group = emulator.add_usergroup("cx-leads", "CX leads", [ada])
    assert client.usergroups_users_list(usergroup=group)["users"] == [ada]
    assert client.usergroups_list(include_users=True)["usergroups"][0]["users"] == [ada]
    assert _error(lambda: client.usergroups_users_list(usergroup="SNOPE"))["error"] == (
        "no_such_subteam"
    )


def test_files_upload_v2_end_to_end(emulator: SlackEmulator, client: WebClient) -> None:
    general = emulator.general_channel().id
    reply = client.files_upload_v2(
        channel=general, content=b"week,score\n1,4\n", filename="pulse.csv", initial_comment="Hi"
    )
    file_id = reply["file"]["id"]
    upload = emulator.uploaded_files[file_id]
    assert upload.content == b"week,score\n1,4\n"
    assert upload.channels == [general]
    assert upload.completed
    shared = emulator.messages(general)[-1]
    assert shared["text"] == "Hi"
    assert shared["files"][0]["name"] == "pulse.csv"
    assert [c.method for c in emulator.calls] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]


def test_oauth_code_exchange(emulator: SlackEmulator) -> None:
    token = emulator.add_oauth_code("code-1", "T0OTHER", "Other Co")
    anonymous = WebClient(base_url=emulator.api_url)
    installed = anonymous.oauth_v2_access(
        client_id=emulator.client_id, client_secret=emulator.client_secret, code="code-1"
    )
    assert installed["access_token"] == token
    assert installed["team"] == {"id": "T0OTHER", "name": "Other Co"}
    other = WebClient(base_url=emulator.api_url, token=token)
    assert other.auth_test()["team_id"] == "T0OTHER"
    again = lambda: anonymous.oauth_v2_access(  # noqa: E731
        client_id=emulator.client_id, client_secret=emulator.client_secret, code="code-1"
    )
    assert _error(again)["error"] == "invalid_code"
    wrong = lambda: anonymous.oauth_v2_access(  # noqa: E731
        client_id=emulator.client_id, client_secret="nope", code="code-1"
    )
    assert _error(wrong)["error"] == "bad_client_secret"


def test_workspaces_are_separate(emulator: SlackEmulator, client: WebClient) -> None:
    token = emulator.add_workspace("T0SECOND", "Second")
    second = WebClient(base_url=emulator.api_url, token=token)
    channel = emulator.add_channel("only-here", team_id="T0SECOND")
    second.chat_postMessage(channel=channel, text="hi")
    assert _error(lambda: client.chat_postMessage(channel=channel, text="x"))["error"] == (
        "channel_not_found"
    )
    assert [c.team_id for c in emulator.calls_to("chat.postMessage")] == ["T0SECOND", "T0SANDBOX"]


def test_wait_for_blocks_then_explains_a_timeout(
    emulator: SlackEmulator, client: WebClient
) -> None:
    timer = threading.Timer(0.2, lambda: client.chat_postMessage(channel="general", text="late"))
    timer.start()
    [call] = emulator.wait_for("chat.postMessage", lambda c: c.args["text"] == "late", timeout=3)
    assert call.args["channel"] == "general"
    with pytest.raises(AssertionError) as raised:
        emulator.wait_for("views.publish", timeout=0.2)
    message = str(raised.value)
    assert "1 successful views.publish" in message or "views.publish" in message
    assert "chat.postMessage [ok]" in message
