"""Shared steps for the customer-moment end-to-end tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.core import ids
from models import Customer, CustomerMoment
from tests.support.stack import Driven


def opened_view(stack: Driven, count: int = 1) -> dict[str, Any]:
    """The modal the app opened with its ``count``-th views.open, as Slack holds it."""
    calls = stack.emulator.wait_for("views.open", count=count)
    call = calls[count - 1]
    assert call.args["view"]["callback_id"] == ids.MOMENT_MODAL
    views = [v for v in stack.emulator.open_views.values() if v["callback_id"] == ids.MOMENT_MODAL]
    return views[-1]


def block_ids(view: dict[str, Any]) -> list[str]:
    """The view's block ids in order."""
    return [str(b.get("block_id")) for b in view["blocks"]]


def element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    """The input element of one block."""
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    found: dict[str, Any] = block["element"]
    return found


def valid_values(*, untouched: tuple[str, ...] = (), **changes: Any) -> dict[str, Any]:
    """A complete, valid submission keyed by block id (``changes`` override by block id).

    Blocks in ``untouched`` are left out, so they submit their initial value as Slack does.
    """
    values: dict[str, Any] = {
        ids.MOMENT_NEW_CUSTOMER: "Globex",
        ids.MOMENT_TOUCHPOINT: "support",
        ids.MOMENT_OUTCOME: "win",
        ids.MOMENT_WHEN: "2026-03-01",
        ids.MOMENT_WHAT: "Fixed their login in minutes; they were delighted",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if k not in untouched}


def counts(stack: Driven) -> tuple[int, int]:
    """(customers, moments) in the database."""
    with stack.runtime.sessions() as session:
        customers = session.scalar(select(func.count()).select_from(Customer)) or 0
        moments = session.scalar(select(func.count()).select_from(CustomerMoment)) or 0
    return customers, moments


def only_moment(stack: Driven) -> CustomerMoment:
    """The single stored moment, with its customer loaded."""
    with stack.runtime.sessions() as session:
        moment = session.scalars(select(CustomerMoment)).one()
        _ = moment.customer.name
        session.expunge_all()
    return moment
