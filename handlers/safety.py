"""Modal submissions that fail unexpectedly: log the traceback, keep the modal, say sorry."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack

logger = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on our side; nothing was lost. Please try again."


def polite_submission(block_id: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Wrap a view_submission listener: an error before its ack becomes an inline error."""

    def wrap(listener: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(listener)  # Bolt reads the wrapped signature to pass arguments
        def guarded(ack: Ack, **kwargs: Any) -> None:
            try:
                listener(ack=ack, **kwargs)
            except Exception:
                logger.exception("%s failed", listener.__name__)
                if ack.response is None:
                    ack(response_action="errors", errors={block_id: SORRY})

        return guarded

    return wrap
