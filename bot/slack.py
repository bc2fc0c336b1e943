"""The one place Web API clients are made: base URL, timeouts and retry handlers."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings

DEFAULT_TIMEOUT_SECONDS = 10


def retry_handlers(max_retries: int = 3) -> list:  # type: ignore[type-arg]
    """Handlers that make transient Slack failures invisible to the caller.

    429s wait for Retry-After; 5xx and dropped connections back off and retry.
    """
    return [
        RateLimitErrorRetryHandler(max_retry_count=max_retries),
        ServerErrorRetryHandler(max_retry_count=max_retries),
        ConnectionErrorRetryHandler(max_retry_count=max_retries),
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
