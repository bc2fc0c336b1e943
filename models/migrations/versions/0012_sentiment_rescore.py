"""sentiment_rescore: re-score every stored moment's story on the new sentiment scale

The story score moved from TextBlob's tempered polarity to VADER first, TextBlob where
VADER finds no opinion word (bot/moments/sentiment.py). Mean sentiment in the digest and
the flow-on averages stored scores across weeks, so old and new must not be mixed. No
schema change. Idempotent: a score is a pure function of the story text, so running it
again writes the same values. Downgrade writes the previous scale back.

Revision ID: 0012_sentiment_rescore
Revises: 0008_rollup
Create Date: 2026-11-27 16:00:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from bot.moments.sentiment import story_sentiment, textblob_sentiment

revision: str = "0012_sentiment_rescore"
down_revision: str | None = "0008_rollup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
# A frozen view of the table: this migration must not follow later model changes.
moment = sa.table(
    "customer_moment",
    sa.column("id", sa.Integer),
    sa.column("what_happened", sa.Text),
    sa.column("sentiment", sa.Double),
)


def _rescore(score: Callable[[str], float]) -> None:
    bind = op.get_bind()
    update = (
        sa.update(moment)
        .where(moment.c.id == sa.bindparam("moment_id"))
        .values(sentiment=sa.bindparam("score"))
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(moment.c.id, moment.c.what_happened)
            .where(moment.c.id > last)
            .order_by(moment.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(update, [{"moment_id": i, "score": score(text or "")} for i, text in rows])
        last = rows[-1].id


def upgrade() -> None:
    _rescore(story_sentiment)


def downgrade() -> None:
    _rescore(textblob_sentiment)
