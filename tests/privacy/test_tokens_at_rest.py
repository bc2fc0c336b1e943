"""Attack: take the bot token from a database dump (it was stored in clear text).

After a real OAuth install, no column of the installation tables holds the token;
the app still reads it back (with CXPULSE_TOKEN_KEY), and without the key it will
not start.
"""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import MetaData, select

from bot.config import ConfigError, RunMode, Settings
from bot.workspace.tokens import TokenCipher, parse_keys, rotate_stored_tokens
from models.installations import BOTS_TABLE
from tests.support.oauth import install, oauth_stack


def test_a_dump_of_the_installation_tables_holds_no_token(db_url: str) -> None:
    key = Fernet.generate_key().decode()
    with oauth_stack(db_url, cxpulse_token_key=key) as stack:
        token = install(stack, "T0SAFE", "Safe Inc")
        engine = stack.runtime.sessions.kw["bind"]
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            dumped = [
                str(value)
                for name, table in meta.tables.items()
                for row in conn.execute(select(table))
                for value in row
            ]
        assert stack.runtime.installations is not None
        bots = stack.runtime.installations.installed_bots()
    assert token.startswith("xoxb-")
    assert not [v for v in dumped if token in v]
    assert [b.bot_token for b in bots] == [token]  # the app itself still has it


def test_rotating_the_key_re_encrypts_every_token(db_url: str) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with oauth_stack(db_url, cxpulse_token_key=old) as stack:
        token = install(stack, "T0ROT", "Rot Inc")
        engine = stack.runtime.sessions.kw["bind"]
        assert rotate_stored_tokens(engine, TokenCipher(parse_keys(f"{new},{old}"))) >= 1
        with engine.connect() as conn:
            stored = conn.execute(select(BOTS_TABLE.c.bot_token)).scalars().all()
    assert [TokenCipher([new]).open(v) for v in stored] == [token]  # the old key can go


def test_tokens_need_a_key_outside_the_demo() -> None:
    oauth = {
        "SLACK_CLIENT_ID": "1.2",
        "SLACK_CLIENT_SECRET": "s",
        "SLACK_SIGNING_SECRET": "x",
        "CXPULSE_SECRET": "BfcjW2itwzqB9gqj12F5xa2NUnpuF62XWcm36xmeZ9k",
    }
    with pytest.raises(ConfigError, match="CXPULSE_TOKEN_KEY"):
        Settings.from_env(oauth).require(RunMode.HTTP)
    with pytest.raises(ConfigError, match="CXPULSE_TOKEN_KEY"):
        Settings.from_env(oauth | {"CXPULSE_TOKEN_KEY": "not a fernet key"})
    two = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    assert Settings.from_env(oauth | {"CXPULSE_TOKEN_KEY": two}).require(RunMode.HTTP)
