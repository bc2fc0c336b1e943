"""Multi-workspace installs: Bolt's OAuth flow and slack_sdk's SQLAlchemy stores on our database."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import TypeVar

from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, desc, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import ConfigError, Settings
from bot.core.slack import retry_handlers
from bot.workspace.store import mark_installed
from bot.workspace.tokens import TokenCipher, parse_keys
from models import Workspace
from models.installations import BOTS_TABLE

logger = logging.getLogger(__name__)
E = TypeVar("E", Bot, Installation)

# The bot scopes an install asks for: exactly app.yaml's (tests/workspace/test_oauth_scopes.py).
BOT_SCOPES = (
    "channels:history",
    "channels:join",
    "channels:read",
    "chat:write",
    "commands",
    "files:read",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:write",
    "reactions:write",
    "usergroups:read",
    "users:read",
    # Profile emails in users.list: help-desk outcomes name agents by email.
    "users:read.email",
)
STATE_EXPIRATION_SECONDS = 600


_BOT_TOKENS = ("bot_token", "bot_refresh_token")
_ALL_TOKENS = (*_BOT_TOKENS, "user_token", "user_refresh_token")


def _with_tokens(
    entity: E, tokens: tuple[str, ...], change: Callable[[str | None], str | None]
) -> E:
    """A copy of a Bot or Installation with its tokens passed through ``change``."""
    changed = copy.copy(entity)
    for name in tokens:
        setattr(changed, name, change(getattr(entity, name, None)))
    return changed


class CxPulseInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy store, with tokens encrypted at rest; (re)activates workspaces.

    The store's public methods are overridden (its documented extension point): tokens
    are encrypted before ``save``/``save_bot`` hand rows to the parent, and decrypted in
    what ``find_bot``/``find_installation``/``installed_bots`` return.
    """

    def __init__(
        self,
        *,
        client_id: str,
        engine: Engine,
        sessions: sessionmaker[Session],
        cipher: TokenCipher,
    ) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self._sessions = sessions
        self._cipher = cipher

    def save_bot(self, bot: Bot) -> None:
        """Store the bot with its tokens encrypted."""
        super().save_bot(_with_tokens(bot, _BOT_TOKENS, self._cipher.seal))

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        """The latest bot installation, tokens decrypted."""
        found = super().find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if found is None else _with_tokens(found, _BOT_TOKENS, self._cipher.open)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The latest installation, tokens decrypted."""
        found = super().find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if found is None else _with_tokens(found, _ALL_TOKENS, self._cipher.open)

    def save(self, installation: Installation) -> None:
        """Store the installation (tokens encrypted), then mark its workspace(s) active."""
        super().save(_with_tokens(installation, _ALL_TOKENS, self._cipher.seal))
        with self._sessions.begin() as session:
            mark_installed(
                session,
                slack_team_id=None if installation.is_enterprise_install else installation.team_id,
                name=installation.team_name or "",
                enterprise_id=installation.enterprise_id,
            )
        logger.info("installed in %s", installation.team_id or f"org {installation.enterprise_id}")

    def installed_bots(self) -> list[Bot]:
        """The newest bot installation per workspace (or Enterprise Grid org)."""
        c = BOTS_TABLE.c
        query = (
            select(BOTS_TABLE)
            .where(c.client_id == self.client_id, c.bot_token.is_not(None))
            .order_by(desc(c.installed_at), desc(c.id))
        )
        seen: set[tuple[str | None, str | None]] = set()
        bots: list[Bot] = []
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                key = (row["enterprise_id"], row["team_id"])
                if key not in seen:
                    seen.add(key)
                    bot = self.build_bot_entity(row)
                    bots.append(_with_tokens(bot, _BOT_TOKENS, self._cipher.open))
        return bots


def make_installation_store(
    settings: Settings, sessions: sessionmaker[Session]
) -> CxPulseInstallationStore:
    """The installation store on the app's database (tables from migration 0007_admin)."""
    engine: Engine = sessions.kw["bind"]
    if not settings.cxpulse_token_key:
        raise ConfigError(
            "CXPULSE_TOKEN_KEY is required with OAuth: Slack tokens are stored encrypted"
        )
    return CxPulseInstallationStore(
        client_id=settings.slack_client_id or "",
        engine=engine,
        sessions=sessions,
        cipher=TokenCipher(parse_keys(settings.cxpulse_token_key)),
    )


def token_lookup(
    store: CxPulseInstallationStore, sessions: sessionmaker[Session]
) -> Callable[[str], str | None]:
    """A function giving the bot token for a Slack team id, or None if not installed/active."""

    def token_for_team(team_id: str) -> str | None:
        with sessions() as session:
            ws = session.scalar(select(Workspace).where(Workspace.slack_team_id == team_id))
        if ws is not None and not ws.active:
            return None
        enterprise_id = ws.enterprise_id if ws is not None else None
        bot = store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None and enterprise_id:
            bot = store.find_bot(
                enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
            )
        return bot.bot_token if bot is not None else None

    return token_for_team


def build_oauth_flow(settings: Settings, store: CxPulseInstallationStore) -> OAuthFlow:
    """Bolt's OAuth flow (/slack/install, /slack/oauth_redirect), calling SLACK_API_URL."""
    oauth_settings = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=store,
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_EXPIRATION_SECONDS, engine=store.engine
        ),
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
    )
    client = WebClient(base_url=settings.slack_api_url, retry_handlers=retry_handlers())
    return OAuthFlow(client=client, settings=oauth_settings)
