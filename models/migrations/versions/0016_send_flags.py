"""send flags: "reminded" and "skipped" leave the send row for per-day keyed traces

Revision ID: 0016_send_flags
Revises: 0009_privacy
Create Date: 2026-12-06 12:40:00

A send row that says "reminded" or "skipped" says "had not answered by then" of a named
person on a named day; intersected with the days each weekly respondent key answered, a
dump narrowed keys to one person. Such flags now live in ``pulse_send_flag`` as
HMAC(CXPULSE_SECRET, team:user:day:kind), with no person. Flags of pulses still open are
carried over (needs CXPULSE_SECRET when there are any), so nobody is reminded twice and
a skipped day stays skipped; the reminder's message ts is not kept (the app finds the
message again by its metadata when the window closes).
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0016_send_flags"
down_revision: str | None = "0009_privacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _hmac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def _secret() -> str:
    from bot.config import Settings

    return Settings.from_env().cxpulse_secret or ""


def upgrade() -> None:
    op.create_table(
        "pulse_send_flag",
        sa.Column("trace", sa.String(length=64), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("pulse_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_pulse_send_flag_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("trace", name=op.f("pk_pulse_send_flag")),
        sqlite_with_rowid=False,
    )
    _carry_over(op.get_bind())
    with op.batch_alter_table("pulse_send") as batch_op:
        batch_op.drop_column("reminder_ts")
        batch_op.drop_column("reminder_sent_at")


def _carry_over(bind: sa.Connection) -> None:
    meta = sa.MetaData()
    meta.reflect(bind, only=["pulse_send", "person", "workspace", "pulse_send_flag"])
    sends, person, ws = (meta.tables[t] for t in ("pulse_send", "person", "workspace"))
    skipped = sa.and_(sends.c.status == "skipped", sends.c.error == "skip_today")
    rows = bind.execute(
        sa.select(
            sends.c.id,
            sends.c.workspace_id,
            sends.c.pulse_date,
            sends.c.reminder_sent_at.is_not(None).label("reminded"),
            skipped.label("skipped"),
            ws.c.slack_team_id,
            person.c.slack_user_id,
        )
        .join(person, person.c.id == sends.c.person_id)
        .join(ws, ws.c.id == sends.c.workspace_id)
        .where(sa.or_(sends.c.reminder_sent_at.is_not(None), skipped))
    ).all()
    if not rows:
        return
    secret = _secret()
    if not secret:
        raise RuntimeError(
            "migration 0016_send_flags moves reminder and skip flags under keyed traces: set "
            "CXPULSE_SECRET (the same value the app runs with) and run `cxpulse db upgrade` again"
        )
    flags: dict[str, dict[str, Any]] = {}
    for row in rows:
        for kind, on in (("reminded", row.reminded), ("skipped", row.skipped)):
            if on:
                day = row.pulse_date.isoformat()
                trace = _hmac(secret, f"{row.slack_team_id}:{row.slack_user_id}:{day}:{kind}")
                flags[trace] = {
                    "trace": trace,
                    "workspace_id": row.workspace_id,
                    "pulse_date": row.pulse_date,
                }
    values = list(flags.values())
    random.SystemRandom().shuffle(values)
    bind.execute(sa.insert(meta.tables["pulse_send_flag"]), values)
    bind.execute(sa.update(sends).where(skipped).values(status="sent", error=None))


def downgrade() -> None:
    # The flags cannot be put back beside people without the secret: they are dropped
    # (an open pulse may then be reminded again, a skipped one reminded).
    with op.batch_alter_table("pulse_send") as batch_op:
        batch_op.add_column(
            sa.Column("reminder_sent_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("reminder_ts", sa.String(length=32), nullable=True))
    op.drop_table("pulse_send_flag")
