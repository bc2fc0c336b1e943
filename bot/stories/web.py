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
from urllib.parse import parse_qs, urlencode

from babel.dates import format_date
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy.orm import Session, sessionmaker

from bot.core.i18n import SUPPORTED, Translator, native_name, translator
from bot.core.web.body import TOO_LARGE, BodyError, read_body
from bot.stories import texts
from bot.stories.language import page_language
from bot.stories.limits import RateLimiter
from bot.stories.links import LinkState, form_key, form_key_matches, is_signed
from bot.stories.store import (
    TELLING_MAX,
    StoryForm,
    StoryPage,
    Telling,
    open_story,
    submit_story,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from bot.runtime import Runtime

logger = logging.getLogger(__name__)

STORY_PREFIX = PREFIX = "/story/"
COOKIE = "cxpulse_story"
MAX_FORM_BYTES = 32 * 1024
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
        t = translator(
            page_language(
                query=_query_language(environ), accept_language=environ.get("HTTP_ACCEPT_LANGUAGE")
            )
        )
        if method not in ("GET", "HEAD", "POST"):
            return self._message(start_response, t, "405 Method Not Allowed", texts.NOT_ALLOWED)
        address = str(environ.get("REMOTE_ADDR", "?"))
        # Only a token that can be a link counts against one: its shape and signature are
        # checked first, so made-up tokens of any length cost nothing but the address's quota.
        allowed = self.per_address.allow(address) and (
            not is_signed(token, self.secret) or self.per_link.allow(token)
        )
        if not allowed:
            return self._message(
                start_response,
                t,
                "429 Too Many Requests",
                texts.TOO_MANY,
                extra=[("Retry-After", "600")],
            )
        try:
            if method == "POST":
                return self._post(environ, start_response, token, t)
            return self._get(environ, start_response, token, t)
        except Exception:
            logger.exception("the story page failed")  # never the token: it is in no message
            return self._message(start_response, t, "500 Internal Server Error", texts.FAILED)

    def _get(
        self, environ: WSGIEnvironment, start_response: StartResponse, token: str, t: Translator
    ) -> Iterable[bytes]:
        with self.sessions() as session:
            page = open_story(session, token=token, secret=self.secret, now=self.clock())
        if page.state is not LinkState.OPEN:
            return self._closed(start_response, t, page.state)
        cookie = _cookie(environ) or secrets.token_urlsafe(16)
        empty = StoryForm(rating=None, what_happened="", backstory="", consent=False)
        return self._form(environ, start_response, t, token, page, cookie, empty, {})

    def _post(
        self, environ: WSGIEnvironment, start_response: StartResponse, token: str, t: Translator
    ) -> Iterable[bytes]:
        try:
            raw = read_body(environ, MAX_FORM_BYTES)
        except BodyError as exc:
            if exc.status == TOO_LARGE:
                return self._message(start_response, t, exc.status, texts.TOO_LONG)
            # A cut or mislabelled body: say what was wrong with it (Content-Length, …).
            return self._message(start_response, t, exc.status, texts.UNREADABLE, problem=str(exc))
        try:
            fields: dict[str, list[str]] = parse_qs(
                raw.decode("utf-8", errors="replace"), max_num_fields=20
            )
        except ValueError:  # more fields than the form has: not our page's form
            return self._message(start_response, t, "400 Bad Request", texts.NOT_OUR_FORM)

        def one(name: str) -> str:
            # PostgreSQL cannot store NUL, and no one types it: dropped, the rest kept.
            return str((fields.get(name) or [""])[0]).replace("\x00", "")

        cookie = _cookie(environ)
        if not form_key_matches(self.secret, cookie, token, one("csrf")):
            return self._message(start_response, t, "403 Forbidden", texts.NO_CSRF)
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
                return self._closed(start_response, t, page.state if page else LinkState.UNKNOWN)
            return self._form(
                environ, start_response, t, token, page, cookie, form, outcome, "400 Bad Request"
            )
        if isinstance(outcome, Telling):
            return self._message(start_response, t, "200 OK", texts.THANKS)
        return self._closed(start_response, t, outcome)

    def _form(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        t: Translator,
        token: str,
        page: StoryPage,
        cookie: str,
        form: StoryForm,
        errors: dict[str, str],
        status: str = "200 OK",
    ) -> Iterable[bytes]:
        limit = t.number(TELLING_MAX)
        html = _templates.get_template("form.html").render(
            **_page_context(t),
            company=page.company,
            topic=t.gettext(page.topic),
            happened_on=(
                format_date(page.happened_on, format=t.gettext(texts.DATE_PATTERN), locale=t.locale)
                if page.happened_on
                else ""
            ),
            csrf=form_key(self.secret, cookie, token),
            ratings=[(value, t.gettext(label)) for value, label in texts.RATINGS],
            form=form,
            errors={field: t.gettext(text, limit=limit) for field, text in errors.items()},
            limit=TELLING_MAX,
        )
        secure = "; Secure" if environ.get("wsgi.url_scheme") == "https" else ""
        set_cookie = f"{COOKIE}={cookie}; Path={PREFIX}; HttpOnly; SameSite=Strict{secure}"
        return _html(start_response, t, status, html, [("Set-Cookie", set_cookie)])

    def _closed(
        self, start_response: StartResponse, t: Translator, state: LinkState
    ) -> Iterable[bytes]:
        status = "404 Not Found" if state is LinkState.UNKNOWN else "410 Gone"
        if state is LinkState.USED:
            status = "200 OK"
        texts_for = texts.CLOSED.get(state, texts.CLOSED[LinkState.UNKNOWN])
        return self._message(start_response, t, status, texts_for)

    def _message(
        self,
        start_response: StartResponse,
        t: Translator,
        status: str,
        heading_and_message: tuple[str, str],
        extra: list[tuple[str, str]] | None = None,
        problem: str = "",
    ) -> Iterable[bytes]:
        heading, message = heading_and_message
        html = _templates.get_template("message.html").render(
            **_page_context(t),
            heading=t.gettext(heading),
            message=t.gettext(message, limit=t.number(TELLING_MAX), problem=problem),
            company="",
        )
        return _html(start_response, t, status, html, extra or [])


def _page_context(t: Translator) -> dict[str, object]:
    """What every page's template needs: its language, its texts' translator, the switch.

    The switch's links are relative (``?lang=de``): they keep the path, so the token, and
    the form posts back to the address it came from, so a chosen language stays.
    """
    switch = [
        (native_name(code), "?" + urlencode({"lang": code}), code == t.language)
        for code in SUPPORTED
    ]
    return {
        "style": _STYLE,
        "html_lang": t.language.replace("_", "-"),
        "_": t.gettext,
        "ngettext": t.ngettext,
        "languages": switch,
    }


def _query_language(environ: WSGIEnvironment) -> str | None:
    """The link's ``lang``; None when absent or the query is not one our links make."""
    try:
        query = parse_qs(str(environ.get("QUERY_STRING", "")), max_num_fields=5)
    except ValueError:
        return None
    values = query.get("lang")
    return values[0] if values else None


def _cookie(environ: WSGIEnvironment) -> str:
    try:
        jar: SimpleCookie = SimpleCookie(str(environ.get("HTTP_COOKIE", "")))
    except CookieError:
        return ""
    morsel = jar.get(COOKIE)
    value = morsel.value if morsel is not None else ""
    return value if value.isascii() and 0 < len(value) <= 64 else ""


def _html(
    start_response: StartResponse,
    t: Translator,
    status: str,
    html: str,
    extra: list[tuple[str, str]],
) -> list[bytes]:
    body = html.encode("utf-8")
    headers: list[tuple[str, str]] = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Content-Language", t.language.replace("_", "-")),
        # The same address answers in another language for another browser.
        ("Vary", "Accept-Language"),
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
