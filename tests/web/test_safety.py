"""An unexpected error in a modal submission becomes a polite inline error, logged."""

from __future__ import annotations

import logging

import pytest
from slack_bolt import Ack

from handlers.safety import SORRY, polite_submission


def test_error_before_ack_is_answered_inline(caplog: pytest.LogCaptureFixture) -> None:
    @polite_submission("block")
    def listener(ack: Ack, body: dict[str, str]) -> None:
        raise RuntimeError(body["boom"])

    ack = Ack()
    listener(ack=ack, body={"boom": "database went away"})
    assert ack.response is not None
    assert ack.response.body == f'{{"response_action": "errors", "errors": {{"block": "{SORRY}"}}}}'
    assert "database went away" in caplog.text
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_error_after_ack_keeps_the_first_answer() -> None:
    @polite_submission("block")
    def listener(ack: Ack) -> None:
        ack()
        raise RuntimeError("after")

    ack = Ack()
    listener(ack=ack)
    assert ack.response is not None
    assert ack.response.body == ""
