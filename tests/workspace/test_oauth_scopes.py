"""The OAuth install asks for exactly the bot scopes app.yaml lists."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.workspace.oauth import BOT_SCOPES

ROOT = Path(__file__).resolve().parents[2]


def test_install_scopes_match_the_manifest() -> None:
    manifest = yaml.safe_load((ROOT / "app.yaml").read_text())
    assert set(BOT_SCOPES) == set(manifest["oauth_config"]["scopes"]["bot"])
    assert (
        "https://cxpulse.example.com/slack/oauth_redirect"
        in manifest["oauth_config"]["redirect_urls"]
    )
