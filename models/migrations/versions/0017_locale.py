"""locale: each person's Slack locale (from users.list/users.info) and their own language choice

Revision ID: 0017_locale
Revises: 0016_send_flags
Create Date: 2026-12-06 12:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_locale"
down_revision: str | None = "0016_send_flags"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("slack_locale", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("language")
        batch.drop_column("slack_locale")
