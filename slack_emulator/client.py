"""SlackClientActor: plays Slack sending signed requests to the app's Request URL."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_emulator.emulator import SlackEmulator
from slack_emulator.escaping import command_text
from slack_emulator.payloads import action_payload, event_envelope, find_element, view_state
from slack_emulator.socket_mode import send_over_socket
from slack_emulator.transport import ActorResponse, post_to_app

_event_ids = itertools.count(1)


class SlackClientActor:
    """Sends slash commands, clicks, submissions and events to the app, as Slack would."""

    def __init__(
        self,
        emulator: SlackEmulator,
        app_url: str = "",
        *,
        signing_secret: str | None = None,
        timeout: float = 10.0,
        socket_mode: bool = False,
    ) -> None:
        """Target the app's Request URL (or its Socket Mode connection), signing over HTTP."""
        if not app_url and not socket_mode:
            raise ValueError("give the app's Request URL, or socket_mode=True")
        self.emulator = emulator
        self.app_url = app_url
        self.socket_mode = socket_mode
        self.signing_secret = signing_secret or emulator.signing_secret
        self.timeout = timeout
        self.last_request: tuple[str, str] | None = None

    # -- transport ---------------------------------------------------------------------

    def send(
        self,
        body: str,
        content_type: str,
        *,
        signing_secret: str | None = None,
        timestamp: int | None = None,
        retry_num: int | None = None,
        sign: bool = True,
    ) -> ActorResponse:
        """POST a body to the app, signed like Slack signs it (unless `sign=False`).

        In Socket Mode the same request goes as an envelope over the app's WebSocket
        (unsigned: the socket is authenticated), and the ack's payload is the answer.
        """
        self.last_request = (body, content_type)
        if self.socket_mode:
            response = send_over_socket(
                self.emulator.socket_mode, body, content_type, retry_num, self.timeout
            )
        else:
            secret = (signing_secret or self.signing_secret) if sign else None
            response = post_to_app(
                self.app_url,
                body,
                content_type,
                secret=secret,
                timestamp=timestamp,
                retry_num=retry_num,
                timeout=self.timeout,
            )
        if response.status == 200 and response.json:
            with self.emulator.state.lock:
                self.emulator.state.acks.append(response.json)
        return response

    def resend(self, *, retry_num: int = 1, **options: Any) -> ActorResponse:
        """Deliver the last request again, byte for byte, as Slack's retries do."""
        if self.last_request is None:
            raise AssertionError("nothing was sent yet")
        body, content_type = self.last_request
        return self.send(body, content_type, retry_num=retry_num, **options)

    def _send_payload(self, payload: dict[str, Any], **options: Any) -> ActorResponse:
        """Send an interactivity payload as Slack does: form field `payload`."""
        body = urlencode({"payload": json.dumps(payload)})
        return self.send(body, "application/x-www-form-urlencoded", **options)

    # -- identities ----------------------------------------------------------------------

    def _user(self, user_id: str, team_id: str) -> dict[str, Any]:
        name = (
            self.emulator.workspace(team_id).users[user_id].name
            if user_id in self.emulator.workspace(team_id).users
            else user_id
        )
        return {"id": user_id, "username": name, "name": name, "team_id": team_id}

    def _team(self, team_id: str) -> dict[str, Any]:
        return {"id": team_id, "domain": self.emulator.workspace(team_id).domain}

    def _channel(self, channel_id: str, team_id: str) -> dict[str, Any]:
        channel = self.emulator.workspace(team_id).channel(channel_id)
        name = "directmessage" if channel is None or channel.is_im else channel.name
        return {"id": channel_id, "name": name}

    def common_fields(self, kind: str, user_id: str, team_id: str) -> dict[str, Any]:
        """The fields every interactivity payload carries (for payloads a test builds itself)."""
        ws = self.emulator.workspace(team_id)
        enterprise = {"id": ws.enterprise_id, "name": ws.name} if ws.enterprise_id else None
        return {
            "type": kind,
            "token": self.emulator.verification_token,
            "api_app_id": self.emulator.app_id,
            "team": self._team(team_id),
            "user": self._user(user_id, team_id),
            "enterprise": enterprise,
            "is_enterprise_install": ws.is_enterprise_install,
        }

    # -- conveniences ----------------------------------------------------------------------

    def latest_message(self, channel_id: str, *, team_id: str | None = None) -> dict[str, Any]:
        """Return the newest message in a channel (AssertionError if there is none)."""
        messages = self.emulator.messages(channel_id, team_id=team_id)
        if not messages:
            raise AssertionError(f"no messages in {channel_id}")
        return messages[-1]

    def dm_of(self, user_id: str, *, team_id: str | None = None) -> str:
        """Return the DM channel the app opened with `user_id`."""
        channel = self.emulator.dm_channel(user_id, team_id=team_id)
        if channel is None:
            raise AssertionError(f"the app never opened a DM with {user_id}")
        return channel

    # -- requests ------------------------------------------------------------------------

    def slash_command(
        self,
        user_id: str,
        text: str = "",
        command: str = "/cx",
        channel_id: str | None = None,
        team_id: str | None = None,
        **options: Any,
    ) -> ActorResponse:
        """Send a slash command as Slack does (form body).

        With the app's manifest loaded, ``text`` is what the person typed (mentions picked
        from the autocomplete written `<@U…>`, `<#C…>`, `<!subteam^S…>`) and is sent as
        Slack sends it for the command's `should_escape`; otherwise it is sent as given.
        """
        team = team_id or self.emulator.team_id
        channel = channel_id or self.emulator.general_channel(team).id
        ws = self.emulator.workspace(team)
        escaping = self.emulator.command_escaping
        if escaping is not None:
            if command not in escaping:
                raise AssertionError(f"{command} is not in the app's manifest: Slack won't send it")
            text = command_text(ws, text, escape=escaping[command])
        form = {
            "token": self.emulator.verification_token,
            "team_id": team,
            "team_domain": ws.domain,
            "channel_id": channel,
            "channel_name": self._channel(channel, team)["name"],
            "user_id": user_id,
            "user_name": self._user(user_id, team)["name"],
            "command": command,
            "text": text,
            "api_app_id": self.emulator.app_id,
            "is_enterprise_install": str(ws.is_enterprise_install).lower(),
            "response_url": self.emulator.new_response_url(team, user_id, channel),
            "trigger_id": self.emulator.issue_trigger_id(team, user_id),
        }
        if ws.enterprise_id:
            form.update(enterprise_id=ws.enterprise_id, enterprise_name=ws.name)
        return self.send(urlencode(form), "application/x-www-form-urlencoded", **options)

    def click(
        self,
        user_id: str,
        *,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        action_id: str | None = None,
        value: str | None = None,
        text: str | None = None,
        channel_id: str | None = None,
        team_id: str | None = None,
        **options: Any,
    ) -> ActorResponse:
        """Click a button (or choose an option) the app really posted in a message or view."""
        if (message is None) == (view is None):
            raise ValueError("pass exactly one of message= or view=")
        team = team_id or self.emulator.team_id
        source = message if message is not None else view
        assert source is not None
        block, element = find_element(
            source.get("blocks") or [], action_id=action_id, value=value, text=text
        )
        payload = self.common_fields("block_actions", user_id, team)
        payload["actions"] = [action_payload(block, element, value)]
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = view
            payload["trigger_id"] = self.emulator.issue_trigger_id(team, user_id, view["id"])
            return self._send_payload(payload, **options)
        assert message is not None
        ts = str(message.get("ts"))
        channel = channel_id or message.get("channel") or self.emulator.channel_of(ts)
        if channel is None:
            raise AssertionError(f"cannot tell which channel message {ts} is in; pass channel_id=")
        ephemeral = bool(message.get("is_ephemeral"))
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        }
        payload["channel"] = self._channel(channel, team)
        if not ephemeral:
            # Slack leaves the message out of clicks on ephemeral messages.
            payload["message"] = message
        payload["state"] = {"values": {}}
        payload["trigger_id"] = self.emulator.issue_trigger_id(team, user_id)
        payload["response_url"] = self.emulator.new_response_url(
            team, user_id, channel, None if ephemeral else ts
        )
        return self._send_payload(payload, **options)

    def submit_view(
        self,
        user_id: str,
        view: dict[str, Any],
        values: dict[str, Any] | None = None,
        *,
        team_id: str | None = None,
        **options: Any,
    ) -> ActorResponse:
        """Submit a modal with `values` keyed by block_id (or block_id then action_id)."""
        team = team_id or self.emulator.team_id
        submitted = dict(view)
        submitted["state"] = {"values": view_state(view, values or {})}
        payload = self.common_fields("view_submission", user_id, team)
        payload.update(
            view=submitted,
            trigger_id=self.emulator.issue_trigger_id(team, user_id, view.get("id")),
            response_urls=[],
        )
        response = self._send_payload(payload, **options)
        self._follow_response_action(view, response)
        return response

    def _follow_response_action(self, view: dict[str, Any], response: ActorResponse) -> None:
        """Do to the open modal what the app's answer asks (close it unless errors/update/push)."""
        action = (response.json or {}).get("response_action")
        if response.status == 200 and action not in ("errors", "update", "push"):
            self.emulator.close_view(str(view.get("id")))

    def close_view(
        self, user_id: str, view: dict[str, Any], *, team_id: str | None = None, **options: Any
    ) -> ActorResponse:
        """Close a modal; the app only hears about it if the view has notify_on_close."""
        team = team_id or self.emulator.team_id
        payload = self.common_fields("view_closed", user_id, team)
        payload.update(view=view, is_cleared=False)
        self.emulator.close_view(str(view.get("id")))
        return self._send_payload(payload, **options)

    def message_shortcut(
        self,
        user_id: str,
        callback_id: str,
        message: dict[str, Any],
        channel_id: str,
        *,
        team_id: str | None = None,
        **options: Any,
    ) -> ActorResponse:
        """Run a message shortcut on `message`."""
        team = team_id or self.emulator.team_id
        payload = self.common_fields("message_action", user_id, team)
        shown: dict[str, Any] = {
            k: message.get(k) for k in ("type", "text", "ts", "user") if k in message
        }
        shown.setdefault("type", "message")
        payload.update(
            callback_id=callback_id,
            action_ts=f"{time.time():.6f}",
            trigger_id=self.emulator.issue_trigger_id(team, user_id),
            message_ts=message.get("ts"),
            message={**message, **shown},
            channel=self._channel(channel_id, team),
            response_url=self.emulator.new_response_url(team, user_id, channel_id),
        )
        return self._send_payload(payload, **options)

    def event(
        self, event: dict[str, Any], team_id: str | None = None, **options: Any
    ) -> ActorResponse:
        """Deliver an Events API event in its `event_callback` envelope."""
        team = team_id or self.emulator.team_id
        envelope = event_envelope(
            self.emulator.workspace(team),
            event,
            token=self.emulator.verification_token,
            app_id=self.emulator.app_id,
            event_id=f"Ev0SB{next(_event_ids):06d}",
        )
        return self.send(json.dumps(envelope), "application/json", **options)

    def app_home_opened(
        self, user_id: str, *, team_id: str | None = None, **options: Any
    ) -> ActorResponse:
        """Tell the app `user_id` opened its Home tab."""
        team = team_id or self.emulator.team_id
        event: dict[str, Any] = {"type": "app_home_opened", "user": user_id, "tab": "home"}
        channel = self.emulator.dm_channel(user_id, team_id=team)
        if channel is not None:
            event["channel"] = channel
        home = self.emulator.home_views.get(user_id)
        if home is not None:
            event["view"] = home
        return self.event(event, team, **options)

    def url_verification(self, challenge: str, **options: Any) -> ActorResponse:
        """Send the Events API URL verification handshake."""
        body = {
            "token": self.emulator.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        return self.send(json.dumps(body), "application/json", **options)
