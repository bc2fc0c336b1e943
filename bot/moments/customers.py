"""Customers: matched by name case- and space-insensitively within one workspace."""

from __future__ import annotations

import difflib
import unicodedata
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Customer, CustomerMoment, Workspace
from models.upsert import insert_if_absent

NAME_MAX = 80
_KEY_MAX = 200  # the column's width
SELECT_LIMIT = 100  # Slack's limit on a static_select's options


def name_key(name: str) -> str:
    """The matching key: Unicode-normalised, case-folded, with every space removed."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(folded.split())[:_KEY_MAX]


def clean_name(name: str) -> str:
    """The display name as typed, with runs of whitespace collapsed."""
    return " ".join(name.split())


def find_customer(session: Session, *, workspace: Workspace, name: str) -> Customer | None:
    """The workspace's customer whose name matches ``name``, if any."""
    key = name_key(name)
    if not key:
        return None
    return session.scalar(
        select(Customer).where(Customer.workspace_id == workspace.id, Customer.name_key == key)
    )


def get_customer(session: Session, *, workspace: Workspace, customer_id: int) -> Customer | None:
    """The customer with this id, only if it belongs to ``workspace``."""
    customer = session.get(Customer, customer_id)
    if customer is None or customer.workspace_id != workspace.id:
        return None
    return customer


def ensure_customer(
    session: Session, *, workspace: Workspace, name: str, now: datetime
) -> Customer:
    """The customer matching ``name``, created (with the name as typed) on first sight.

    Two people can log a moment for the same new customer at the same moment: the
    insert yields to whichever came first (``ON CONFLICT DO NOTHING``) and both
    moments land on that one customer, instead of one failing.
    """
    existing = find_customer(session, workspace=workspace, name=name)
    if existing is not None:
        return existing
    values = {
        "workspace_id": workspace.id,
        "name": clean_name(name),
        "name_key": name_key(name),
        "created_at": now,
    }
    insert_if_absent(session, Customer, values, keys=("workspace_id", "name_key"))
    created = find_customer(session, workspace=workspace, name=name)
    if created is None:  # only if the name has no key; callers check names first
        raise ValueError(f"cannot store a customer named {name!r}")
    return created


def recent_customers(
    session: Session, *, workspace: Workspace, limit: int = SELECT_LIMIT
) -> list[Customer]:
    """The workspace's customers, the one with the latest moment (or newest) first."""
    last = (
        select(CustomerMoment.customer_id, func.max(CustomerMoment.created_at).label("last_at"))
        .where(CustomerMoment.workspace_id == workspace.id)
        .group_by(CustomerMoment.customer_id)
        .subquery()
    )
    return list(
        session.scalars(
            select(Customer)
            .outerjoin(last, last.c.customer_id == Customer.id)
            .where(Customer.workspace_id == workspace.id)
            .order_by(func.coalesce(last.c.last_at, Customer.created_at).desc(), Customer.id.desc())
            .limit(limit)
        )
    )


def closest_customers(
    session: Session, *, workspace: Workspace, name: str, limit: int = 3
) -> list[Customer]:
    """Customers whose names look like ``name``: containing it first, then by similarity."""
    key = name_key(name)
    if not key:
        return []
    customers = list(session.scalars(select(Customer).where(Customer.workspace_id == workspace.id)))
    by_key = {c.name_key: c for c in customers}
    containing = sorted((k for k in by_key if key in k or k in key), key=len)
    similar = difflib.get_close_matches(key, list(by_key), n=limit, cutoff=0.5)
    ordered = list(dict.fromkeys(containing + similar))
    return [by_key[k] for k in ordered[:limit]]
