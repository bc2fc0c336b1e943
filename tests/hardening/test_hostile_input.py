"""Hostile input over signed HTTP: never a 5xx, never an unrequested mention, nothing stored.

One app (SQLite) serves the whole module; hypothesis throws adversarial text, oversized fields,
malformed and wrongly typed payloads, unknown ids, replays and tampered bodies at it.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slack_emulator.transport import ActorResponse, sign
from tests.support.hostile import (
    LIVE_USER,
    ack_problems,
    emulator_output,
    hostile_text,
    json_values,
    row_counts,
    texts_in,
    unrequested_mentions,
)
from tests.support.stack import SandboxStack

FORM = "application/x-www-form-urlencoded"
HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Target:
    """The served app plus what must never change while hostile requests arrive."""

    def __init__(self, stack: SandboxStack) -> None:
        self.stack = stack
        self.user = stack.emulator.add_user(name="mallory")["id"]
        self.requested_mentions: set[str] = set()
        self.counts = row_counts(stack.runtime.sessions.kw["bind"])

    def check(self, response: ActorResponse, *, inputs: Any = None) -> None:
        """No 5xx; a valid answer; no unrequested mention anywhere; nothing stored."""
        assert response.status < 500, response.body
        assert ack_problems(response.json) == []
        for text in texts_in(inputs):
            self.requested_mentions.update(m.group(1) for m in LIVE_USER.finditer(text))
        said = [response.json, *emulator_output(self.stack.emulator)]
        assert unrequested_mentions(said, self.requested_mentions) == []
        assert row_counts(self.stack.runtime.sessions.kw["bind"]) == self.counts

    def payload(self, payload: Any, **options: Any) -> ActorResponse:
        return self.stack.actor.send(urlencode({"payload": json.dumps(payload)}), FORM, **options)

    def block_actions(self, actions: Any, **fields: Any) -> dict[str, Any]:
        payload = self.stack.actor.common_fields(
            "block_actions", self.user, self.stack.emulator.team_id
        )
        payload.update(actions=actions, trigger_id="1.2.3", response_url=self._response_url())
        payload.update(fields)
        return payload

    def _response_url(self) -> str:
        em = self.stack.emulator
        return em.new_response_url(em.team_id, self.user, em.general_channel().id)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> Iterator[Target]:
    path = tmp_path_factory.mktemp("hostile") / "cxpulse.sqlite3"
    path.write_bytes(_sqlite_template.read_bytes())
    with SandboxStack.start(f"sqlite:///{path}", migrate=False) as stack:
        yield Target(stack)


@HYPOTHESIS
@given(text=hostile_text)
def test_any_cx_text_gets_a_valid_answer(target: Target, text: str) -> None:
    response = target.stack.actor.slash_command(target.user, text)
    assert response.status == 200  # every word is either known or answered with the help
    target.check(response, inputs=text)


@HYPOTHESIS
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "text",
                "user_name",
                "channel_name",
                "team_domain",
                "command",
                "user_id",
                "team_id",
                "channel_id",
                "response_url",
                "trigger_id",
                "api_app_id",
            ]
        ),
        hostile_text,
        max_size=4,
    )
)
def test_hostile_slash_command_fields(target: Target, fields: dict[str, str]) -> None:
    em = target.stack.emulator
    form = {
        "command": "/cx",
        "user_id": target.user,
        "team_id": em.team_id,
        "channel_id": em.general_channel().id,
        "text": "help",
    } | fields
    target.check(target.stack.actor.send(urlencode(form), FORM), inputs=fields)


@HYPOTHESIS
@given(
    raw=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
)
def test_malformed_payload_json_is_a_clean_4xx(target: Target, raw: str) -> None:
    response = target.stack.actor.send(urlencode({"payload": raw}), FORM)
    target.check(response, inputs=raw)


@HYPOTHESIS
@given(
    key=st.sampled_from(
        [
            "actions",
            "user",
            "team",
            "view",
            "container",
            "channel",
            "type",
            "message",
            "state",
            "response_url",
            "trigger_id",
            "enterprise",
        ]
    ),
    value=json_values,
)
def test_wrongly_typed_fields_are_rejected_or_ignored(target: Target, key: str, value: Any) -> None:
    payload = target.block_actions([{"action_id": "x", "type": "button", "value": "1"}])
    payload[key] = value
    target.check(target.payload(payload), inputs=value)


@HYPOTHESIS
@given(payload=json_values)
def test_arbitrary_json_payloads(target: Target, payload: Any) -> None:
    target.check(target.payload(payload), inputs=payload)


@HYPOTHESIS
@given(body=json_values)
def test_arbitrary_json_event_bodies(target: Target, body: Any) -> None:
    response = target.stack.actor.send(json.dumps(body), "application/json")
    target.check(response, inputs=body)


@HYPOTHESIS
@given(
    event=st.fixed_dictionaries(
        {"type": st.sampled_from(["app_home_opened", "message", "reaction_added", "nope"])},
        optional={
            "user": json_values,
            "tab": json_values,
            "channel": json_values,
            "text": hostile_text,
            "view": json_values,
        },
    )
)
def test_hostile_events(target: Target, event: dict[str, Any]) -> None:
    target.check(target.stack.actor.event(event), inputs=event)


@HYPOTHESIS
@given(action_id=hostile_text, value=hostile_text, callback_id=hostile_text)
def test_unknown_ids_are_acked_or_refused_cleanly(
    target: Target, action_id: str, value: str, callback_id: str
) -> None:
    click = target.block_actions(
        [
            {
                "action_id": action_id,
                "type": "button",
                "value": value,
                "block_id": "b",
                "action_ts": "1.2",
            }
        ]
    )
    response = target.payload(click)
    assert response.status in (200, 404)
    target.check(response, inputs=[action_id, value])
    view = {
        "id": "V0X",
        "type": "modal",
        "callback_id": callback_id,
        "state": {"values": {}},
        "private_metadata": value,
    }
    submission = target.stack.actor.common_fields(
        "view_submission", target.user, target.stack.emulator.team_id
    )
    submission.update(view=view, trigger_id="1.2.3", response_urls=[])
    response = target.payload(submission)
    assert response.status in (200, 404)
    target.check(response, inputs=[callback_id, value])
    shortcut = target.stack.actor.common_fields(
        "shortcut", target.user, target.stack.emulator.team_id
    )
    shortcut.update(callback_id=callback_id, trigger_id="1.2.3", action_ts="1.2")
    response = target.payload(shortcut)
    assert response.status in (200, 404)
    target.check(response, inputs=[callback_id])


@HYPOTHESIS
@given(age=st.integers(min_value=301, max_value=10**9))
def test_replayed_requests_are_refused(target: Target, age: int) -> None:
    before = len(target.stack.emulator.calls)
    response = target.stack.actor.slash_command(
        target.user, "help", timestamp=int(time.time()) - age
    )
    assert response.status == 401
    assert len(target.stack.emulator.calls) == before
    target.check(response)


@HYPOTHESIS
@given(cut=st.integers(min_value=0, max_value=400), insert=st.text(min_size=1, max_size=40))
def test_tampered_bodies_are_refused_unless_re_signed(
    target: Target, cut: int, insert: str
) -> None:
    em = target.stack.emulator
    body = urlencode(
        {
            "command": "/cx",
            "text": "help",
            "user_id": target.user,
            "team_id": em.team_id,
            "channel_id": em.general_channel().id,
        }
    )
    tampered = body[:cut] + insert + body[cut:]
    ts = str(int(time.time()))
    headers_for_original = sign(em.signing_secret, ts, body)
    response = _post_with_signature(target, tampered, ts, headers_for_original)
    assert response.status == 401  # the old signature does not cover the change
    target.check(response)
    wrong = target.stack.actor.send(tampered, FORM, signing_secret="not-the-secret")
    assert wrong.status == 401
    # Re-signed with the real secret it is a genuine (if odd) request: still never a 5xx.
    target.check(target.stack.actor.send(tampered, FORM), inputs=tampered)


def _post_with_signature(target: Target, body: str, ts: str, signature: str) -> ActorResponse:
    headers = {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }
    url = target.stack.actor.app_url
    request = urllib.request.Request(url, body.encode(), headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            return ActorResponse(answer.status, answer.read().decode(), None, {})
    except urllib.error.HTTPError as error:
        return ActorResponse(error.code, error.read().decode(), None, {})


def test_oversized_bodies_are_refused(target: Target) -> None:
    # Announce a 3 MB body and send only its start: the server must refuse on the length alone.
    port = int(target.stack.actor.app_url.split(":")[2].split("/")[0])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("POST", "/slack/events")
    conn.putheader("Content-Type", FORM)
    conn.putheader("Content-Length", str(3 * 1024 * 1024))
    conn.endheaders(b"command=%2Fcx&text=" + b"x" * 1000)
    status = conn.getresponse().status
    conn.close()
    assert status == 413
    assert row_counts(target.stack.runtime.sessions.kw["bind"]) == target.counts
