"""What a failure logs: no SQL parameters, no exception text (issue 26, finding 6)."""

from __future__ import annotations

import io
import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.cli import configure_logging
from models.db import make_engine

CUSTOMER = "Ada Customer <ada.customer@example.com>"


@pytest.mark.parametrize("pooled", [True, False])
def test_a_failed_statement_does_not_carry_its_parameters(db_url: str, pooled: bool) -> None:
    engine = make_engine(db_url, pooled=pooled)
    try:
        with pytest.raises(SQLAlchemyError) as failed, engine.connect() as conn:
            conn.execute(
                text("INSERT INTO no_such_table (name) VALUES (:name)"), {"name": CUSTOMER}
            )
    finally:
        engine.dispose()
    assert CUSTOMER not in str(failed.value)
    assert "ada.customer" not in str(failed.value)


def _logged_failure(exc: BaseException) -> str:
    stream = io.StringIO()
    handler = configure_logging(logging.INFO, stream)
    try:
        try:
            raise exc
        except Exception:
            logging.getLogger("bot.stories.web").exception("the story page failed")
            logging.getLogger("waitress").exception("Exception while serving /story/x")
    finally:
        logging.getLogger().removeHandler(handler)
    return stream.getvalue()


def test_exception_text_is_left_out_of_the_log_but_its_type_and_place_are_kept() -> None:
    try:
        raise KeyError(CUSTOMER)
    except KeyError as inner:
        outer = ValueError(f"could not store {CUSTOMER}")
        outer.__cause__ = inner
    logged = _logged_failure(outer)
    assert "ada.customer" not in logged
    assert "Ada Customer" not in logged
    assert "the story page failed" in logged
    assert "ValueError" in logged
    assert "KeyError" in logged
    assert "test_log_leaks.py" in logged  # where it happened, for whoever debugs it
