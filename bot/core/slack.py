"""The one place Web API clients are made: base URL, timeouts and retry handlers.

A call is repeated only when repeating it cannot do anything twice: a 429 (Slack did
nothing), a connection refused before a byte was sent, or a method that only reads or that
Slack applies idempotently. A write whose answer was lost (5xx, timeout, dropped or cut
answer) is never repeated blindly: ``bot.core.posting`` looks in the channel first.
"""

from __future__ import annotations

from http.client import HTTPException
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.config import Settings

# Web API methods that only read: repeating one whose answer was lost changes nothing.
READ_METHOD_SUFFIXES = (".list", ".info", ".history", ".replies", ".members", ".get", ".test")
READ_METHODS = frozenset({"users.lookupByEmail", "chat.getPermalink", "users.getPresence"})
# Writes Slack applies idempotently: done twice, the result is the same as done once.
IDEMPOTENT_WRITES = frozenset(
    {"conversations.open", "conversations.join", "chat.update", "views.publish", "views.update"}
)


def is_read_method(method: str) -> bool:
    """Whether the Web API ``method`` only reads (safe to repeat)."""
    return method in READ_METHODS or method.endswith(READ_METHOD_SUFFIXES)


def is_repeatable(method: str) -> bool:
    """Whether calling ``method`` again after a lost answer can never do anything twice."""
    return is_read_method(method) or method in IDEMPOTENT_WRITES


def method_of(request: HttpRequest) -> str:
    """The Web API method a request calls (the last path segment of its URL)."""
    return request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def never_sent(error: BaseException | None) -> bool:
    """True when the request certainly never reached Slack: the connection was refused."""
    if isinstance(error, URLError) and not isinstance(error.reason, str):
        error = error.reason
    return isinstance(error, ConnectionRefusedError)


class RefusedConnectionRetryHandler(RetryHandler):
    """Retries any call whose connection was refused: nothing was sent, so nothing was done."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is None and never_sent(error)


class RepeatableCallRetryHandler(RetryHandler):
    """Retries reads and idempotent writes after a 5xx, a timeout or a lost connection.

    Other writes are left to the caller: Slack may already have done them.
    """

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not is_repeatable(method_of(request)):
            return False
        if response is not None:
            return response.status_code >= 500
        return isinstance(error, TimeoutError | HTTPException | ConnectionError | URLError)


def retry_handlers(max_retries: int = 3) -> list[RetryHandler]:
    """Handlers that make transient Slack failures invisible where repeating is safe.

    429s wait for Retry-After; refused connections are tried again; reads and idempotent
    writes are asked again after a 5xx, a timeout or a dropped answer.
    """
    return [
        RateLimitErrorRetryHandler(max_retry_count=max_retries),
        RefusedConnectionRetryHandler(max_retry_count=max_retries),
        RepeatableCallRetryHandler(max_retry_count=max_retries),
    ]


def make_client(
    settings: Settings,
    token: str | None = None,
    *,
    timeout: int | None = None,
    max_retries: int = 3,
) -> WebClient:
    """A WebClient for one workspace, pointed at ``SLACK_API_URL``, waiting
    ``SLACK_TIMEOUT_SECONDS`` for an answer unless ``timeout`` says otherwise."""
    return WebClient(
        token=token if token is not None else settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout_seconds if timeout is None else timeout,
        retry_handlers=retry_handlers(max_retries),
    )
