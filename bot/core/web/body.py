"""The one WSGI request-body reader behind every door (Slack's, ``/outcomes``, the story page).

A body is read only as far as its ``Content-Length`` says and never past a door's limit, and
a bad length gets the same answer at every door: 400 naming the problem, 413 over the limit.
waitress already refuses most bad lengths itself; this is what any other WSGI server (or a
proxy that passes the header through) meets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

BAD_REQUEST = "400 Bad Request"
TOO_LARGE = "413 Content Too Large"


@dataclass(frozen=True)
class BodyError(Exception):
    """Why a request's body cannot be read: an HTTP status line and the reason, for the client."""

    status: str
    reason: str

    def __str__(self) -> str:
        return self.reason


def read_body(environ: WSGIEnvironment, limit: int) -> bytes:
    """The request's body, at most ``limit`` bytes; raises ``BodyError`` on a bad length.

    No ``Content-Length`` (or an empty one) is an empty body. A length that is not a whole
    number of bytes, or a body shorter than its length, is a 400; over ``limit``, a 413
    (nothing is read, so an oversized body costs no memory).
    """
    header = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not header:
        return b""
    if not (header.isascii() and header.isdigit()):
        raise BodyError(BAD_REQUEST, "bad Content-Length: expected a whole number of bytes")
    # A length of more digits than any limit is over it (and int() of thousands raises).
    length = int(header) if len(header) <= 18 else limit + 1
    if length > limit:
        raise BodyError(TOO_LARGE, f"the body is over {limit} bytes")
    raw: bytes = environ["wsgi.input"].read(length) if length else b""
    if len(raw) < length:
        raise BodyError(BAD_REQUEST, f"the body ended early: Content-Length said {length} bytes")
    return raw
