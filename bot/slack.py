"""The one place Web API clients are made: base URL, timeouts and retry handlers."""

from __future__ import annotations

from http.client import HTTPException

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.config import Settings

DEFAULT_TIMEOUT_SECONDS = 10


# Web API methods that only read: repeating one whose answer was lost changes nothing.
READ_METHOD_SUFFIXES = (".list", ".info", ".history", ".replies", ".members", ".get", ".test")
READ_METHODS = frozenset({"users.lookupByEmail", "chat.getPermalink", "users.getPresence"})


def is_read_method(method: str) -> bool:
    """Whether the Web API ``method`` only reads (safe to repeat)."""
    return method in READ_METHODS or method.endswith(READ_METHOD_SUFFIXES)


class LostAnswerRetryHandler(RetryHandler):
    """Retries a read whose answer was lost: a timeout, or a connection cut mid-response.

    Writes are not repeated this way, since Slack may already have done them; the database
    claims let the next job run finish them instead.
    """

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not isinstance(error, TimeoutError | HTTPException | ConnectionError):
            return False
        method = request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        return is_read_method(method)


def retry_handlers(max_retries: int = 3) -> list:  # type: ignore[type-arg]
    """Handlers that make transient Slack failures invisible to the caller.

    429s wait for Retry-After; 5xx and dropped connections back off and retry; reads whose
    answer timed out or was cut off are asked again.
    """
    return [
        RateLimitErrorRetryHandler(max_retry_count=max_retries),
        ServerErrorRetryHandler(max_retry_count=max_retries),
        ConnectionErrorRetryHandler(max_retry_count=max_retries),
        LostAnswerRetryHandler(max_retry_count=max_retries),
    ]


def make_client(
    settings: Settings,
    token: str | None = None,
    *,
    timeout: int = DEFAULT_TIMEOUT_SECONDS,
    max_retries: int = 3,
) -> WebClient:
    """A WebClient for one workspace, pointed at ``SLACK_API_URL``."""
    return WebClient(
        token=token if token is not None else settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=retry_handlers(max_retries),
    )
