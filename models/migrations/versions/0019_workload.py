"""workload: handling time and the agent's tickets that day on each imported rating

Revision ID: 0019_workload
Revises: 0018_erasure
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_workload"
down_revision: str | None = "0018_erasure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("customer_outcome") as batch:
        batch.add_column(sa.Column("handle_minutes", sa.Double(), nullable=True))
        batch.add_column(sa.Column("agent_day_tickets", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customer_outcome") as batch:
        batch.drop_column("agent_day_tickets")
        batch.drop_column("handle_minutes")
