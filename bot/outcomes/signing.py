"""Signing `POST /outcomes` the way Slack signs its requests, with a per-workspace secret.

``X-CXPulse-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">`` under the
secret, ``X-CXPulse-Timestamp`` in Unix seconds, refused when more than five minutes
from now. A workspace's secret is derived from ``CXPULSE_SECRET`` and a random nonce
kept in ``outcomes_secret``, so the database alone cannot sign; rotating replaces the
nonce. ``CXPULSE_OUTCOMES_SECRET`` signs for a single-workspace install.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime

from slack_sdk.signature import SignatureVerifier
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.web import signatures
from models import OutcomesSecret
from models.upsert import upsert

TIMESTAMP_HEADER = "X-CXPulse-Timestamp"
SIGNATURE_HEADER = "X-CXPulse-Signature"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The ``v0=`` signature of ``body`` sent at ``timestamp`` (Unix seconds, as text)."""
    return signatures.sign(secret, timestamp, body)


def signature_problem(
    *,
    secrets_in_force: Iterable[str],
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: datetime,
) -> str | None:
    """None when a secret in force signed ``body`` at a fresh timestamp; else why not."""
    verifiers = [SignatureVerifier(s, clock=signatures.FixedClock(now)) for s in secrets_in_force]
    return signatures.unsigned_reason(
        verifiers,
        body=body,
        timestamp=timestamp,
        signature=signature,
        header_names=(TIMESTAMP_HEADER, SIGNATURE_HEADER),
    )


def derive_secret(key: str, workspace_id: int, nonce: str) -> str:
    """The webhook secret for a workspace's current nonce."""
    message = f"outcomes:{workspace_id}:{nonce}".encode()
    return "cxo_" + hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def rotate_secret(
    session: Session, *, workspace_id: int, key: str, user_id: str, now: datetime
) -> str:
    """A new secret for the workspace (the old one stops working); shown once, never stored."""
    if not key:
        raise ValueError("CXPULSE_SECRET is needed to make an outcomes secret")
    nonce = secrets.token_hex(16)
    stmt = upsert(
        session,
        OutcomesSecret,
        keys=("workspace_id",),
        updates=("nonce", "created_by", "created_at"),
    )
    values = {
        "workspace_id": workspace_id,
        "nonce": nonce,
        "created_by": user_id,
        "created_at": now,
    }
    session.execute(stmt, values)
    return derive_secret(key, workspace_id, nonce)


def workspace_secret(session: Session, *, workspace_id: int, key: str | None) -> str | None:
    """The workspace's current secret, or None when an admin has not made one."""
    nonce = session.scalar(
        select(OutcomesSecret.nonce).where(OutcomesSecret.workspace_id == workspace_id)
    )
    if nonce is None or not key:
        return None
    return derive_secret(key, workspace_id, nonce)


def secret_made_at(session: Session, *, workspace_id: int) -> datetime | None:
    """When the workspace's current secret was made, or None before an admin made one."""
    found = select(OutcomesSecret.created_at).where(OutcomesSecret.workspace_id == workspace_id)
    return session.scalar(found)
