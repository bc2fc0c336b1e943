"""What customers said: a week's best and worst comments, never beside the agent rated.

Comments are the customer's words: the views that show them escape them and take out
e-mail addresses and phone numbers (``bot.core.redact``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CustomerOutcome

QUOTE_CHARS = 300


@dataclass(frozen=True)
class CustomerQuote:
    """One customer's comment and rating (no agent), as the customer or help desk wrote it."""

    customer: str | None
    comment: str
    kind: str
    score: float


def rating_label(kind: str, score: float) -> str:
    """A rating as people read it: 4/5, 9/10, thumbs up/down."""
    if kind == "thumbs":
        return "thumbs up" if score >= 1 else "thumbs down"
    return f"{score:g}/{5 if kind == 'csat' else 10}"


def customer_quotes(
    session: Session, *, workspace_id: int, week: date, team_id: int | None
) -> list[CustomerQuote]:
    """The week's best- and worst-rated comments (at most one each)."""
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
            customer or None,
            (comment or "")[:QUOTE_CHARS],
            kind,
            float(score),
        )
        if quote not in quotes:
            quotes.append(quote)
    return quotes
