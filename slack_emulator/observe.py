"""Read-only views of the emulator's record and state, and the hooks the actor uses."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from slack_emulator.copying import plain_copy
from slack_emulator.recording import ApiCall, CallLog
from slack_emulator.state import (
    Channel,
    ResponsePost,
    ResponseTarget,
    SandboxState,
    Trigger,
    UploadedFile,
    Workspace,
)


class EmulatorObservations:
    """What tests read from a SlackEmulator: calls, messages, views, files."""

    state: SandboxState
    team_id: str
    _log: CallLog

    @property
    def base_url(self) -> str:
        """Return the server's base URL (provided by SlackEmulator)."""
        raise NotImplementedError

    def workspace(self, team_id: str | None = None) -> Workspace:
        """Return a workspace (the default one without `team_id`)."""
        return self.state.workspaces[team_id or self.team_id]

    # -- recorded calls --------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        """Return every recorded call, in order."""
        return self._log.all()

    def calls_to(self, method: str, **match: Any) -> list[ApiCall]:
        """Return calls to `method` (ok or not) whose args equal each `match` item."""
        return self._log.matching(method, **match)

    def wait_for(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 5.0,
        count: int = 1,
    ) -> list[ApiCall]:
        """Wait for `count` successful matching calls; AssertionError lists calls on timeout."""
        return self._log.wait_for(method, predicate, timeout, count)

    def reset_calls(self) -> None:
        """Forget recorded calls (state is kept)."""
        self._log.clear()

    # -- state inspection --------------------------------------------------------------

    @property
    def acks(self) -> list[dict[str, Any]]:
        """Return the JSON answers the app gave in its acks, in order."""
        with self.state.lock:
            return list(self.state.acks)

    @property
    def responses(self) -> list[ResponsePost]:
        """Return what the app posted to response_urls."""
        with self.state.lock:
            return list(self.state.responses)

    @property
    def ephemerals(self) -> list[dict[str, Any]]:
        """Return ephemeral messages (chat.postEphemeral and ephemeral responses)."""
        with self.state.lock:
            return plain_copy(self.state.ephemerals)

    @property
    def reactions(self) -> list[dict[str, Any]]:
        """Return the reactions the bot added."""
        with self.state.lock:
            return plain_copy(self.state.reactions)

    @property
    def uploaded_files(self) -> dict[str, UploadedFile]:
        """Return uploaded files by id, with their bytes and the channels shared to."""
        with self.state.lock:
            return dict(self.state.files)

    @property
    def open_views(self) -> dict[str, dict[str, Any]]:
        """Return open modals by view id."""
        with self.state.lock:
            return plain_copy(self.state.views)

    def views_of(self, user_id: str, callback_id: str | None = None) -> list[dict[str, Any]]:
        """Return ``user_id``'s open modals (optionally one kind), oldest first."""
        with self.state.lock:
            return [
                plain_copy(view)
                for view_id, view in self.state.views.items()
                if self.state.view_owner.get(view_id, ("", ""))[1] == user_id
                and callback_id in (None, view.get("callback_id"))
            ]

    @property
    def home_views(self) -> dict[str, dict[str, Any]]:
        """Return published App Home views by user id (all workspaces)."""
        with self.state.lock:
            return {
                u: plain_copy(v)
                for ws in self.state.workspaces.values()
                for u, v in ws.home_views.items()
            }

    def general_channel(self, team_id: str | None = None) -> Channel:
        """Return a workspace's #general."""
        return next(c for c in self.workspace(team_id).channels.values() if c.is_general)

    def messages(
        self, channel: str, *, team_id: str | None = None, last: int | None = None
    ) -> list[dict[str, Any]]:
        """Return the current messages of a channel (id or name), oldest first.

        ``last`` copies only the newest few (a long DM history is slow to copy).
        """
        with self.state.lock:
            ws = self.workspace(team_id)
            found = ws.channel(channel)
            if found is None:
                raise AssertionError(
                    f"no channel {channel!r} in {ws.team_id}: {sorted(ws.channels)}"
                )
            return plain_copy(found.messages[-last:] if last else found.messages)

    def newest_with(
        self, channel: str, wanted: Callable[[dict[str, Any]], bool], *, last: int
    ) -> dict[str, Any] | None:
        """A copy of the newest of the channel's last ``last`` messages that ``wanted`` accepts.

        Only that message is copied (a simulated person looking for their pulse among
        the last few DMs; copying every candidate was most of the demo's Slack-side work).
        """
        with self.state.lock:
            found = self.workspace(None).channel(channel)
            if found is None:
                return None
            match = next((m for m in reversed(found.messages[-last:]) if wanted(m)), None)
            return None if match is None else plain_copy(match)

    def channel_of(self, ts: str) -> str | None:
        """Return the channel a message ts was posted to."""
        with self.state.lock:
            return self.state.message_channel.get(ts)

    def dm_channel(self, user_id: str, *, team_id: str | None = None) -> str | None:
        """Return the DM channel id the app opened with `user_id`, if any."""
        with self.state.lock:
            return self.workspace(team_id).dms.get(user_id)

    # -- hooks for the client actor ------------------------------------------------------

    def issue_trigger_id(self, team_id: str, user_id: str, view_id: str | None = None) -> str:
        """Return a fresh trigger id that views.open/views.push will accept once."""
        trigger_id = f"{int(time.time())}.{secrets.randbelow(10**9)}.{secrets.token_hex(16)}"
        with self.state.lock:
            self.state.triggers[trigger_id] = Trigger(team_id, user_id, time.time(), view_id)
        return trigger_id

    def new_response_url(
        self,
        team_id: str,
        user_id: str,
        channel_id: str | None = None,
        message_ts: str | None = None,
    ) -> str:
        """Return a response_url served by the emulator."""
        response_id = secrets.token_hex(8)
        with self.state.lock:
            self.state.response_targets[response_id] = ResponseTarget(
                team_id, user_id, channel_id, message_ts
            )
        return f"{self.base_url}/response/{response_id}"

    def close_view(self, view_id: str) -> None:
        """Forget an open modal (the user closed it or Slack cleared it)."""
        with self.state.lock:
            self.state.views.pop(view_id, None)
            self.state.view_owner.pop(view_id, None)
