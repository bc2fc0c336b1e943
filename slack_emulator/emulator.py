"""SlackEmulator: a local Slack Web API for the demo and tests."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, Self

from slack_emulator.dispatch import Dispatcher
from slack_emulator.escaping import command_escaping, load_manifest
from slack_emulator.faults import Fault, FaultKind
from slack_emulator.observe import EmulatorObservations
from slack_emulator.recording import CallLog
from slack_emulator.server import EmulatorHTTPServer, ServerThread
from slack_emulator.socket_mode import SocketModeServer
from slack_emulator.state import (
    Channel,
    OAuthGrant,
    SandboxState,
    User,
    Workspace,
)

# Sandbox-only credentials: they protect nothing and are never sent to real Slack.
DEFAULT_SIGNING_SECRET = "sandbox-signing-secret"  # noqa: S105
DEFAULT_CLIENT_SECRET = "sandbox-client-secret"  # noqa: S105
DEFAULT_VERIFICATION_TOKEN = "sandbox-verification-token"  # noqa: S105
DEFAULT_APP_TOKEN = "xapp-1-A0SANDBOX-sandbox"  # noqa: S105


class SlackEmulator(EmulatorObservations):
    """Answers the Slack Web API over real HTTP and records every call."""

    def __init__(
        self,
        signing_secret: str = DEFAULT_SIGNING_SECRET,
        team_id: str = "T0SANDBOX",
        team_name: str = "Sandbox Inc",
        *,
        app_id: str = "A0SANDBOX",
        client_id: str = "sandbox-client-id",
        client_secret: str = DEFAULT_CLIENT_SECRET,
        verification_token: str = DEFAULT_VERIFICATION_TOKEN,
        app_token: str = DEFAULT_APP_TOKEN,
        manifest: str | Path | dict[str, Any] | None = None,
    ) -> None:
        """Create the default workspace with Slackbot, the bot user and #general.

        ``manifest`` (the app's manifest, or its path) decides how slash-command text is
        escaped, as Slack decides by each command's `should_escape`; without one, the
        actor's text is sent exactly as given.
        """
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.app_id = app_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.verification_token = verification_token
        self.app_token = app_token
        if manifest is not None and not isinstance(manifest, dict):
            manifest = load_manifest(manifest)
        self.command_escaping = command_escaping(manifest) if manifest is not None else None
        self.state = SandboxState()
        self._log = CallLog()
        self._dispatcher = Dispatcher(
            self.state,
            self._log,
            app_id=app_id,
            client_id=client_id,
            client_secret=client_secret,
            app_token=app_token,
        )
        self.socket_mode = SocketModeServer(app_id)
        self._thread: ServerThread | None = None
        self.add_workspace(team_id, team_name, bot_user_id="UBOTSANDBOX")

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> Self:
        """Start serving on a free loopback port."""
        if self._thread is None:
            self._thread = ServerThread(EmulatorHTTPServer(self._dispatcher, self.state, self._log))
            self._dispatcher.base_url = f"http://127.0.0.1:{self._thread.port}"
            self._thread.start()
            self.socket_mode.start()
            self._dispatcher.socket_url = self.socket_mode.issue_url
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._thread is not None:
            self.socket_mode.stop()
            self._thread.stop()
            self._thread = None

    def __enter__(self) -> Self:
        """Start, for `with SlackEmulator() as slack:`."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop."""
        self.stop()

    @property
    def base_url(self) -> str:
        """Return `http://127.0.0.1:PORT` (only once started)."""
        if not self._dispatcher.base_url:
            raise RuntimeError("SlackEmulator is not started")
        return self._dispatcher.base_url

    @property
    def api_url(self) -> str:
        """Return the Web API base URL to give slack_sdk as `base_url`."""
        return f"{self.base_url}/api/"

    @property
    def bot_token(self) -> str:
        """Return the default workspace's bot token."""
        return self.workspace().bot_token

    @property
    def bot_user_id(self) -> str:
        """Return the default workspace's bot user id."""
        return self.workspace().bot_user_id

    # -- seeding ---------------------------------------------------------------------

    def add_workspace(
        self,
        team_id: str,
        name: str,
        *,
        bot_user_id: str | None = None,
        enterprise_id: str | None = None,
        is_enterprise_install: bool = False,
        installed: bool = True,
    ) -> str:
        """Add a workspace with the app installed; return its bot token."""
        suffix = team_id[1:] if team_id.startswith("T") else team_id
        ws = Workspace(
            team_id=team_id,
            name=name,
            bot_token=f"xoxb-sandbox-{team_id}",
            bot_user_id=bot_user_id or f"UBOT{suffix}",
            bot_id=f"B{suffix}",
            enterprise_id=enterprise_id,
            is_enterprise_install=is_enterprise_install,
            installed=installed,
        )
        with self.state.lock:
            self.state.workspaces[team_id] = ws
            if installed:
                self.state.tokens[ws.bot_token] = team_id
            ws.users["USLACKBOT"] = User(
                "USLACKBOT", team_id, "slackbot", "Slackbot", "America/Los_Angeles"
            )
            ws.users[ws.bot_user_id] = User(
                ws.bot_user_id, team_id, "cxpulse", "CX Pulse", is_bot=True, bot_id=ws.bot_id
            )
            general = Channel(self.state.new_id("C"), team_id, "general", is_general=True)
            general.members = {ws.bot_user_id}
            ws.channels[general.id] = general
        return ws.bot_token

    def add_user(
        self,
        user_id: str | None = None,
        name: str = "",
        real_name: str = "",
        tz: str = "America/New_York",
        *,
        is_bot: bool = False,
        deleted: bool = False,
        is_admin: bool = False,
        is_owner: bool = False,
        email: str | None = None,
        team_id: str | None = None,
        locale: str = "en-US",
    ) -> dict[str, Any]:
        """Add a member (also to #general); return their users.list object."""
        with self.state.lock:
            ws = self.workspace(team_id)
            uid = user_id or self.state.new_id("U")
            handle = name or uid.lower()
            user = User(
                uid,
                ws.team_id,
                handle,
                real_name or handle,
                tz,
                is_bot,
                deleted,
                is_admin,
                is_owner,
                email,
                locale=locale,
            )
            ws.users[uid] = user
            self.general_channel(ws.team_id).members.add(uid)
            return user.to_api()

    def add_channel(
        self,
        name: str,
        is_private: bool = False,
        members: list[str] | None = None,
        bot_is_member: bool = True,
        *,
        team_id: str | None = None,
    ) -> str:
        """Add a channel; return its id."""
        with self.state.lock:
            ws = self.workspace(team_id)
            channel = Channel(self.state.new_id("C"), ws.team_id, name, is_private=is_private)
            channel.members = set(members or []) | ({ws.bot_user_id} if bot_is_member else set())
            ws.channels[channel.id] = channel
            return channel.id

    def add_usergroup(
        self, handle: str, name: str, users: list[str], *, team_id: str | None = None
    ) -> str:
        """Add a user group; return its id (S...)."""
        with self.state.lock:
            ws = self.workspace(team_id)
            group_id = self.state.new_id("S")
            ws.usergroups[group_id] = {
                "id": group_id,
                "team_id": ws.team_id,
                "is_usergroup": True,
                "name": name,
                "handle": handle,
                "description": "",
                "date_delete": 0,
                "users": list(users),
            }
            return group_id

    def add_oauth_code(
        self,
        code: str,
        team_id: str,
        team_name: str,
        enterprise_id: str | None = None,
        is_enterprise_install: bool = False,
        *,
        installer_user_id: str | None = None,
    ) -> str:
        """Register an OAuth code that oauth.v2.access exchanges; return the future bot token."""
        with self.state.lock:
            if team_id not in self.state.workspaces:
                self.add_workspace(
                    team_id,
                    team_name,
                    enterprise_id=enterprise_id,
                    is_enterprise_install=is_enterprise_install,
                    installed=False,
                )
            installer = (
                installer_user_id
                or self.add_user(name="installer", is_admin=True, team_id=team_id)["id"]
            )
            self.state.oauth_codes[code] = OAuthGrant(team_id, installer)
            return self.workspace(team_id).bot_token

    # -- faults and limits -----------------------------------------------------------

    def set_rate_limit(
        self,
        method: str | None,
        per_minute: float | None = None,
        *,
        per_second: float | None = None,
        burst: int | None = None,
    ) -> None:
        """Rate-limit `method` (None: every method) per workspace; excess calls get 429."""
        if (per_minute is None) == (per_second is None):
            raise ValueError("give exactly one of per_minute or per_second")
        rate = per_second if per_second is not None else (per_minute or 0) / 60
        self._dispatcher.limiter.set_limit(method, rate, burst)

    def clear_rate_limits(self) -> None:
        """Remove every rate limit."""
        self._dispatcher.limiter.clear()

    def inject_fault(
        self,
        method: str,
        kind: FaultKind,
        times: int = 1,
        *,
        error: str = "fatal_error",
        retry_after: int = 1,
        delay: float = 2.0,
        status: int = 500,
        done: bool = False,
    ) -> None:
        """Make the next `times` calls to `method` ("*": any) fail as `kind`.

        ``done``: do the work first, then fail ("post, then fail": a 5xx or dropped connection
        after Slack posted). Timeouts and cut answers always do the work.
        """
        fault = Fault(kind, error, retry_after, delay, status, done)
        self._dispatcher.faults.add(method, fault, times)

    def inject_fault_rate(
        self,
        method: str,
        kind: FaultKind,
        probability: float,
        seed: int = 0,
        *,
        error: str = "fatal_error",
        retry_after: int = 1,
        delay: float = 2.0,
        status: int = 500,
    ) -> None:
        """Make calls to `method` fail as `kind` with `probability` (seeded)."""
        fault = Fault(kind, error, retry_after, delay, status)
        self._dispatcher.faults.add_rate(method, fault, probability, seed)

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self._dispatcher.faults.clear()
