"""Pseudonymous respondent keys: a database dump alone does not say who felt what."""

from __future__ import annotations

import hashlib
import hmac


def respondent_key(secret: str, slack_team_id: str, slack_user_id: str) -> str:
    """HMAC-SHA256(secret, "team:user") as hex: stable per person, unlinkable without the key."""
    if not secret:
        raise ValueError("CXPULSE_SECRET is required to key pulse answers")
    message = f"{slack_team_id}:{slack_user_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
