"""story_language: a story's language, and no sentiment where no scorer reads it

Stories in a language the English scorer cannot read were stored as 0.0 ("neutral"). The
sentiment column becomes nullable, each moment gets its story's detected language, and
stories no scorer reads lose their false 0.0 (bot/moments/sentiment_languages.py).

Revision ID: 0020_story_language
Revises: 0019_workload
Create Date: 2026-12-06 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.moments.sentiment_languages import read_story

revision: str = "0020_story_language"
down_revision: str | None = "0019_workload"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_moment = sa.table(
    "customer_moment",
    sa.column("id", sa.Integer),
    sa.column("what_happened", sa.Text),
    sa.column("sentiment", sa.Double),
    sa.column("story_language", sa.String),
)


BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table("customer_moment") as batch:
        batch.add_column(sa.Column("story_language", sa.String(8), nullable=True))
        batch.alter_column("sentiment", existing_type=sa.Double(), nullable=True)
    bind = op.get_bind()
    update = (
        sa.update(_moment)
        .where(_moment.c.id == sa.bindparam("moment_id"))
        .values(sentiment=sa.bindparam("score"), story_language=sa.bindparam("language"))
    )
    last = 0
    while True:  # in batches, as 0012 does: a large table never sits in memory at once
        rows = bind.execute(
            sa.select(_moment.c.id, _moment.c.what_happened)
            .where(_moment.c.id > last)
            .order_by(_moment.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        readings = [(i, read_story(text or "")) for i, text in rows]
        bind.execute(
            update,
            [{"moment_id": i, "score": r.sentiment, "language": r.language} for i, r in readings],
        )
        last = rows[-1].id


def downgrade() -> None:
    # A story without a score reads 0.0 again, as it did before.
    op.execute("UPDATE customer_moment SET sentiment = 0.0 WHERE sentiment IS NULL")
    with op.batch_alter_table("customer_moment") as batch:
        batch.alter_column("sentiment", existing_type=sa.Double(), nullable=False)
        batch.drop_column("story_language")
