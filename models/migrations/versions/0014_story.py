"""story: a customer's own telling of a moment, through a one-time link

Revision ID: 0014_story
Revises: 0011_idempotency
Create Date: 2026-11-27 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0014_story"
down_revision: str | None = "0011_idempotency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_story",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("moment_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("backstory", sa.Text(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "rating IS NULL OR rating BETWEEN 1 AND 5",
            name=op.f("ck_customer_story_rating_range"),
        ),
        sa.ForeignKeyConstraint(
            ["moment_id"],
            ["customer_moment.id"],
            name=op.f("fk_customer_story_moment_id_customer_moment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["person.id"],
            name=op.f("fk_customer_story_requested_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_customer_story_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_story")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_customer_story_token_hash")),
    )
    op.create_index("ix_customer_story_moment", "customer_story", ["moment_id"], unique=False)
    op.create_index(
        "ix_customer_story_week", "customer_story", ["workspace_id", "submitted_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_customer_story_week", table_name="customer_story")
    op.drop_index("ix_customer_story_moment", table_name="customer_story")
    op.drop_table("customer_story")
