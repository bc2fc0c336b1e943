"""digest_language: the language a digest channel's digest is written in

Each digest channel set in /cx admin gets a language; None (every channel added before)
means the workspace's language.

Revision ID: 0021_digest_language
Revises: 0020_story_language
Create Date: 2026-12-06 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_digest_language"
down_revision: str | None = "0020_story_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("digest_channel") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("digest_channel") as batch:
        batch.drop_column("language")
