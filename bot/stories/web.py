"""`GET`/`POST /story/<token>`: the customer's page, server-rendered, no JavaScript.

Jinja2 renders with autoescaping on. Every answer carries strict security headers (a
Content-Security-Policy that allows only our own inline style, by hash; no framing; no
referrer, so the link never leaks to another site). A form is accepted only with a
CSRF field bound to this browser's cookie and this link (signed double submit). Requests
are rate-limited per link and per address. The token is never logged.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime
from http.cookies import CookieError, SimpleCookie
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy.orm import Session, sessionmaker

from bot.stories.limits import RateLimiter
from bot.stories.links import form_key, form_key_matches, is_signed
from bot.stories.store import (
    TELLING_MAX,
    LinkState,
    StoryForm,
    StoryPage,
    Telling,
    open_story,
    submit_story,
)
from bot.web.body import TOO_LARGE, BodyError, read_body

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from bot.runtime import Runtime

logger = logging.getLogger(__name__)

STORY_PREFIX = PREFIX = "/story/"
COOKIE = "cxpulse_story"
MAX_FORM_BYTES = 32 * 1024
RATINGS = [
    ("1", "very poor"),
    ("2", "poor"),
    ("3", "okay"),
    ("4", "good"),
    ("5", "excellent"),
]
CLOSED = {
    LinkState.EXPIRED: (
        "This link has expired",
        "Links to tell your story work for 14 days. If you'd still like to, ask the person "
        "who sent it for a new one.",
    ),
    LinkState.USED: (
        "Thank you — we already have your story",
        "This link has been used. Thank you for telling us; it helps the whole team.",
    ),
    LinkState.REVOKED: (
        "This link is no longer active",
        "The person who sent it has replaced or withdrawn it. Ask them for a new one if you "
        "would like to tell your story.",
    ),
    LinkState.UNKNOWN: (
        "We can't find this page",
        "Please check that the whole link was copied. Links are long, and sometimes an email "
        "program breaks them over two lines.",
    ),
}

_STYLE = Markup(  # noqa: S704 - our own packaged stylesheet, not user input
    resources.files("bot.stories").joinpath("templates/story.css").read_text("utf-8")
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(str(_STYLE).encode("utf-8")).digest()).decode()
SECURITY_HEADERS = [
    (
        "Content-Security-Policy",
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'",
    ),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
]

_templates = Environment(
    loader=PackageLoader("bot.stories", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class StoryPages:
    """The WSGI app behind ``/story/<token>``."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        secret: str,
        clock: Callable[[], datetime],
        per_link: RateLimiter | None = None,
        per_address: RateLimiter | None = None,
    ) -> None:
        """Serve pages from ``sessions``; links are checked under ``secret``."""
        self.sessions = sessions
        self.secret = secret
        self.clock = clock
        self.per_link = per_link or RateLimiter(limit=30, window_seconds=600)
        self.per_address = per_address or RateLimiter(limit=120, window_seconds=600)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        token = str(environ.get("PATH_INFO", ""))[len(PREFIX) :]
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD", "POST"):
            return self._message(start_response, "405 Method Not Allowed", "Not allowed", "")
        address = str(environ.get("REMOTE_ADDR", "?"))
        # Only a token that can be a link counts against one: its shape and signature are
        # checked first, so made-up tokens of any length cost nothing but the address's quota.
        allowed = self.per_address.allow(address) and (
            not is_signed(token, self.secret) or self.per_link.allow(token)
        )
        if not allowed:
            return self._message(
                start_response,
                "429 Too Many Requests",
                "Please wait a moment",
                "We've had a lot of requests for this page. Please try again in a few minutes.",
                extra=[("Retry-After", "600")],
            )
        try:
            if method == "POST":
                return self._post(environ, start_response, token)
            return self._get(environ, start_response, token)
        except Exception:
            logger.exception("the story page failed")  # never the token: it is in no message
            return self._message(
                start_response,
                "500 Internal Server Error",
                "Sorry, something went wrong",
                "Nothing was lost on your side that we know of. Please try again in a minute.",
            )

    def _get(
        self, environ: WSGIEnvironment, start_response: StartResponse, token: str
    ) -> Iterable[bytes]:
        with self.sessions() as session:
            page = open_story(session, token=token, secret=self.secret, now=self.clock())
        if page.state is not LinkState.OPEN:
            return self._closed(start_response, page.state)
        cookie = _cookie(environ) or secrets.token_urlsafe(16)
        empty = StoryForm(rating=None, what_happened="", backstory="", consent=False)
        return self._form(environ, start_response, token, page, cookie, empty, {})

    def _post(
        self, environ: WSGIEnvironment, start_response: StartResponse, token: str
    ) -> Iterable[bytes]:
        try:
            raw = read_body(environ, MAX_FORM_BYTES)
        except BodyError as exc:
            if exc.status == TOO_LARGE:
                return self._message(
                    start_response,
                    exc.status,
                    "That was too long",
                    f"Please keep each answer under {TELLING_MAX} characters and send it again.",
                )
            return self._message(
                start_response,
                exc.status,
                "Please send the form again",
                f"The form could not be read ({exc}). Open the link again and send it once more.",
            )
        try:
            fields: dict[str, list[str]] = parse_qs(
                raw.decode("utf-8", errors="replace"), max_num_fields=20
            )
        except ValueError:  # more fields than the form has: not our page's form
            return self._message(
                start_response,
                "400 Bad Request",
                "Please open the link again",
                "That form didn't come from this page. Open the link you were sent again.",
            )

        def one(name: str) -> str:
            # PostgreSQL cannot store NUL, and no one types it: dropped, the rest kept.
            return str((fields.get(name) or [""])[0]).replace("\x00", "")

        cookie = _cookie(environ)
        if not form_key_matches(self.secret, cookie, token, one("csrf")):
            return self._message(
                start_response,
                "403 Forbidden",
                "Please open the link again",
                "For your safety this form only works from the page it came from. Open the "
                "link you were sent again and fill it in there.",
            )
        form = StoryForm(
            rating=one("rating") or None,
            what_happened=one("what_happened").replace("\r\n", "\n"),
            backstory=one("backstory").replace("\r\n", "\n"),
            consent=one("consent") == "yes",
        )
        with self.sessions.begin() as session:
            outcome = submit_story(
                session, token=token, secret=self.secret, form=form, now=self.clock()
            )
            page = (
                open_story(session, token=token, secret=self.secret, now=self.clock())
                if isinstance(outcome, dict)
                else None
            )
        if isinstance(outcome, dict):
            if page is None or page.state is not LinkState.OPEN:
                return self._closed(start_response, page.state if page else LinkState.UNKNOWN)
            return self._form(
                environ, start_response, token, page, cookie, form, outcome, "400 Bad Request"
            )
        if isinstance(outcome, Telling):
            return self._message(
                start_response,
                "200 OK",
                "Thank you",
                "Your story has reached the team. Thank you for taking the time to tell us.",
            )
        return self._closed(start_response, outcome)

    def _form(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        token: str,
        page: StoryPage,
        cookie: str,
        form: StoryForm,
        errors: dict[str, str],
        status: str = "200 OK",
    ) -> Iterable[bytes]:
        html = _templates.get_template("form.html").render(
            style=_STYLE,
            company=page.company,
            topic=page.topic,
            happened_on=page.happened_on.strftime("%-d %B %Y") if page.happened_on else "",
            csrf=form_key(self.secret, cookie, token),
            ratings=RATINGS,
            form=form,
            errors=errors,
            limit=TELLING_MAX,
        )
        secure = "; Secure" if environ.get("wsgi.url_scheme") == "https" else ""
        set_cookie = f"{COOKIE}={cookie}; Path={PREFIX}; HttpOnly; SameSite=Strict{secure}"
        return _html(start_response, status, html, [("Set-Cookie", set_cookie)])

    def _closed(self, start_response: StartResponse, state: LinkState) -> Iterable[bytes]:
        heading, message = CLOSED.get(state, CLOSED[LinkState.UNKNOWN])
        status = "404 Not Found" if state is LinkState.UNKNOWN else "410 Gone"
        if state is LinkState.USED:
            status = "200 OK"
        return self._message(start_response, status, heading, message)

    def _message(
        self,
        start_response: StartResponse,
        status: str,
        heading: str,
        message: str,
        extra: list[tuple[str, str]] | None = None,
    ) -> Iterable[bytes]:
        html = _templates.get_template("message.html").render(
            style=_STYLE, heading=heading, message=message, company=""
        )
        return _html(start_response, status, html, extra or [])


def _cookie(environ: WSGIEnvironment) -> str:
    try:
        jar: SimpleCookie = SimpleCookie(str(environ.get("HTTP_COOKIE", "")))
    except CookieError:
        return ""
    morsel = jar.get(COOKIE)
    value = morsel.value if morsel is not None else ""
    return value if value.isascii() and 0 < len(value) <= 64 else ""


def _html(
    start_response: StartResponse, status: str, html: str, extra: list[tuple[str, str]]
) -> list[bytes]:
    body = html.encode("utf-8")
    headers: list[tuple[str, str]] = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        *SECURITY_HEADERS,
        *extra,
    ]
    start_response(status, headers)
    return [body]


def story_url(public_url: str | None, token: str) -> str:
    """The link to hand the customer."""
    base = (public_url or "").rstrip("/")
    return f"{base}{PREFIX}{token}"


def story_pages_for(runtime: Runtime) -> StoryPages | None:
    """The story page for this app, or None when there is no key to check links with."""
    secret = runtime.settings.cxpulse_secret
    if not secret:
        return None
    return StoryPages(sessions=runtime.sessions, secret=secret, clock=runtime.now)
