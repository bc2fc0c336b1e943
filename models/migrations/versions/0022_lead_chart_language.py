"""lead_chart_language: the lead's App Home chart is stored per team, week and language

Its drawn labels, upload title and alt text are in the language of the leads who read it,
so the language is part of the key. Every chart stored before was drawn in English.

Revision ID: 0022_lead_chart_language
Revises: 0021_digest_language
Create Date: 2026-12-06 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_lead_chart_language"
down_revision: str | None = "0021_digest_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("lead_chart") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
        )
    with op.batch_alter_table("lead_chart") as batch:
        batch.alter_column("language", server_default=None)
        batch.drop_constraint("pk_lead_chart", type_="primary")
        batch.create_primary_key("pk_lead_chart", ["workspace_id", "team_key", "language"])


def downgrade() -> None:
    # One chart per team again: the English one stays (another language is drawn anew).
    op.execute(sa.text("DELETE FROM lead_chart WHERE language <> 'en'"))
    with op.batch_alter_table("lead_chart") as batch:
        batch.drop_constraint("pk_lead_chart", type_="primary")
        batch.create_primary_key("pk_lead_chart", ["workspace_id", "team_key"])
    with op.batch_alter_table("lead_chart") as batch:
        batch.drop_column("language")
