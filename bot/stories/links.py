"""One-time story links: made for the person who asks, revoked, checked; 128 random bits,
signed, stored only as a hash. (What the customer's page shows and keeps: store.py.)

The signature (itsdangerous, HMAC-SHA256 under CXPULSE_SECRET) lets the page refuse a
guessed or mangled link before touching the database; the hash means a database dump
holds no link that works.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from itsdangerous import BadSignature, Signer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.i18n import N_
from models import CustomerMoment, CustomerStory, Person, Workspace

RANDOM_BYTES = 16  # 128 bits
_SALT = "cxpulse.story-link"
LINK_LIFETIME = timedelta(days=14)


def _signer(secret: str) -> Signer:
    return Signer(secret, salt=_SALT, digest_method=hashlib.sha256)


def new_token(secret: str) -> str:
    """A fresh link token: ``<random>.<signature>``, URL-safe."""
    return _signer(secret).sign(secrets.token_urlsafe(RANDOM_BYTES)).decode("ascii")


def token_hash(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_signed(token: str, secret: str) -> bool:
    """True when ``token`` was made by :func:`new_token` under ``secret``."""
    if not token or len(token) > 200 or not token.isascii():
        return False
    try:
        _signer(secret).unsign(token.encode("ascii"))
    except BadSignature:
        return False
    return True


def form_key(secret: str, cookie: str, token: str) -> str:
    """The CSRF field value bound to this browser's cookie and this link."""
    return _signer(secret).get_signature(f"csrf:{cookie}:{token_hash(token)}").decode("ascii")


def form_key_matches(secret: str, cookie: str, token: str, submitted: str) -> bool:
    """Constant-time check of a submitted CSRF field (as bytes: any text may be submitted)."""
    if not cookie or not submitted:
        return False
    expected = form_key(secret, cookie, token).encode("ascii")
    return secrets.compare_digest(expected, submitted.encode("utf-8", "surrogatepass"))


class LinkState(Enum):
    """What a story link is now."""

    OPEN = "open"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class StoryLink:
    """A link just made: the token goes to the person who asked, never to the database."""

    token: str
    expires_at: datetime
    moment_id: int


class AskRefusal(Enum):
    """Why a link was not made."""

    # The values are msgids: translated for the reader where they are shown.
    UNKNOWN_MOMENT = N_("I can't find that moment any more.")
    NOT_YOURS = N_("Only the person who logged this moment can ask the customer to tell it.")
    ALREADY_TOLD = N_("The customer has already told this one in their own words.")


def _own_moment(
    session: Session, workspace: Workspace, person: Person, moment_id: int
) -> CustomerMoment | AskRefusal:
    """``person``'s moment ``moment_id`` in ``workspace``, or why they may not ask about it."""
    moment = session.get(CustomerMoment, moment_id)
    if moment is None or moment.workspace_id != workspace.id:
        return AskRefusal.UNKNOWN_MOMENT
    if moment.person_id != person.id:
        return AskRefusal.NOT_YOURS
    return moment


def ask_for_story(
    session: Session,
    *,
    workspace: Workspace,
    person: Person,
    moment_id: int,
    secret: str,
    now: datetime,
) -> StoryLink | AskRefusal:
    """A new link for ``moment_id``; any link still open for it stops working."""
    moment = _own_moment(session, workspace, person, moment_id)
    if isinstance(moment, AskRefusal):
        return moment
    told = session.scalar(
        select(CustomerStory.id).where(
            CustomerStory.moment_id == moment.id, CustomerStory.submitted_at.is_not(None)
        )
    )
    if told is not None:
        return AskRefusal.ALREADY_TOLD
    _revoke_open(session, moment_id=moment.id, now=now)
    token = new_token(secret)
    expires_at = now + LINK_LIFETIME
    session.add(
        CustomerStory(
            workspace_id=workspace.id,
            moment_id=moment.id,
            requested_by_id=person.id,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=expires_at,
        )
    )
    session.flush()
    return StoryLink(token=token, expires_at=expires_at, moment_id=moment.id)


def _revoke_open(session: Session, *, moment_id: int, now: datetime) -> int:
    result = session.execute(
        update(CustomerStory)
        .where(
            CustomerStory.moment_id == moment_id,
            CustomerStory.submitted_at.is_(None),
            CustomerStory.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def revoke_story_links(
    session: Session, *, workspace: Workspace, person: Person, moment_id: int, now: datetime
) -> int | AskRefusal:
    """Stop every unused link for ``moment_id``; how many were stopped."""
    moment = _own_moment(session, workspace, person, moment_id)
    if isinstance(moment, AskRefusal):
        return moment
    return _revoke_open(session, moment_id=moment.id, now=now)


def find_link(session: Session, token: str, secret: str) -> CustomerStory | None:
    """The stored link for ``token``; None when it is not one of ours (checked before any
    database read)."""
    if not is_signed(token, secret):
        return None
    return session.scalar(
        select(CustomerStory).where(CustomerStory.token_hash == token_hash(token))
    )


def link_state(story: CustomerStory | None, now: datetime) -> LinkState:
    """What a stored link is ``now`` (UNKNOWN when there is none)."""
    if story is None:
        return LinkState.UNKNOWN
    if story.submitted_at is not None:
        return LinkState.USED
    if story.revoked_at is not None:
        return LinkState.REVOKED
    if story.expires_at <= now:
        return LinkState.EXPIRED
    return LinkState.OPEN
