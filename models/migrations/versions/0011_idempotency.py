"""idempotency: Slack requests already handled (view submissions, events)

Revision ID: 0011_idempotency
Revises: 0013_leads
Create Date: 2026-11-27 15:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_idempotency"
down_revision: str | None = "0013_leads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handled_request",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("handled_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_handled_request")),
    )
    op.create_index(
        op.f("ix_handled_request_handled_on"), "handled_request", ["handled_on"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_handled_request_handled_on"), table_name="handled_request")
    op.drop_table("handled_request")
