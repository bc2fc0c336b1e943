"""What customers said, ready to show: a week's comments, with nothing that names a person.

Comments are the customer's words: escaped by the views that show them, and shown with
every email address taken out (the customer's own, one they typed) and never beside
the agent they rated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CustomerOutcome

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
QUOTE_CHARS = 300


@dataclass(frozen=True)
class CustomerQuote:
    """One customer's comment and rating (no agent, no email)."""

    customer: str | None
    comment: str
    kind: str
    score: float


def redact_emails(text: str) -> str:
    """``text`` with every email address replaced by ``[email]``."""
    return _EMAIL.sub("[email]", text)


def rating_label(kind: str, score: float) -> str:
    """A rating as people read it: 4/5, 9/10, thumbs up/down."""
    if kind == "thumbs":
        return "thumbs up" if score >= 1 else "thumbs down"
    return f"{score:g}/{5 if kind == 'csat' else 10}"


def customer_quotes(
    session: Session, *, workspace_id: int, week: date, team_id: int | None
) -> list[CustomerQuote]:
    """The week's best- and worst-rated comments (at most one each), emails removed."""
    o = CustomerOutcome
    stmt = select(o.customer, o.comment, o.kind, o.score).where(
        o.workspace_id == workspace_id, o.week_start == week, o.comment.is_not(None)
    )
    if team_id is not None:
        stmt = stmt.where(o.team_id == team_id)
    quotes: list[CustomerQuote] = []
    for order in ((o.scaled.desc(), o.id), (o.scaled, o.id)):
        row = session.execute(stmt.order_by(*order).limit(1)).first()
        if row is None:
            break
        customer, comment, kind, score = row
        quote = CustomerQuote(
            redact_emails(customer) if customer and "@" not in customer else None,
            redact_emails(comment or "")[:QUOTE_CHARS],
            kind,
            float(score),
        )
        if quote not in quotes:
            quotes.append(quote)
    return quotes
