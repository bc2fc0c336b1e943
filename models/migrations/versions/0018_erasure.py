"""erasure: markers of people erased on request, so the directory sync skips them

Revision ID: 0018_erasure
Revises: 0017_locale
Create Date: 2026-12-06 12:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_erasure"
down_revision: str | None = "0017_locale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erased_person",
        sa.Column("marker", sa.String(length=64), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_erased_person_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("marker", name=op.f("pk_erased_person")),
    )


def downgrade() -> None:
    op.drop_table("erased_person")
