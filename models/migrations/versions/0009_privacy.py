"""privacy: answers keyed per ISO week, day precision, random ids; send details detachable;
monthly-question traces; forget-me keeps settings; Slack tokens encrypted at rest

Revision ID: 0009_privacy
Revises: 0010_outcomes
Create Date: 2026-11-27 15:45:00

Existing data is carried over so that people and leads see what they saw before:
answers are re-keyed from HMAC(secret, team:user) to HMAC(secret, team:user:ISO week)
(needs CXPULSE_SECRET when there are answers; rows whose writer is no longer in
``person`` get an unlinkable per-week key), monthly answers move to month precision,
every answer-ish row gets a random id and is re-inserted in random order, send rows of
closed windows lose their per-person details, and stored tokens are encrypted (needs
CXPULSE_TOKEN_KEY when there are tokens).
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009_privacy"
down_revision: str | None = "0010_outcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANSWERISH = ("pulse_answer", "pulse_note", "pulse_extra_answer")
MONTHLY = ("enps", "experience_gap")
TOKEN_COLUMNS = {
    "slack_bots": ("bot_token", "bot_refresh_token"),
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
}


def _hmac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def upgrade() -> None:
    bind = op.get_bind()
    # SQLite re-creates pulse_note below (batch mode), and dropping the old table would
    # cascade to the lead replies: keep them aside and put them back, re-pointed.
    replies_table = sa.Table("note_reply", sa.MetaData(), autoload_with=bind)
    replies = [dict(r._mapping) for r in bind.execute(sa.select(replies_table))]
    op.create_table(
        "pulse_monthly_asked",
        sa.Column("trace", sa.String(length=64), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_pulse_monthly_asked_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("trace", name=op.f("pk_pulse_monthly_asked")),
        sqlite_with_rowid=False,
    )
    for table, dropped in (
        ("pulse_answer", "answered_at"),
        ("pulse_extra_answer", "answered_at"),
        ("pulse_note", "created_at"),
    ):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("sealed", sa.Boolean(), nullable=False, server_default=sa.false())
            )
            batch_op.drop_column(dropped)
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("sealed", server_default=None)
    with op.batch_alter_table("pulse_preference") as batch_op:
        batch_op.add_column(sa.Column("forgotten_on", sa.Date(), nullable=True))
    with op.batch_alter_table("pulse_send") as batch_op:
        batch_op.add_column(sa.Column("reminder_ts", sa.String(length=32), nullable=True))
        batch_op.alter_column("scheduled_for", existing_type=sa.DateTime(), nullable=True)
        batch_op.alter_column("claimed_at", existing_type=sa.DateTime(), nullable=True)
    if bind.dialect.name == "postgresql":
        # Random ids, never from a sequence: a sequence numbers rows in answer order.
        for table in ANSWERISH:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN id DROP DEFAULT")
            op.execute(f"DROP SEQUENCE IF EXISTS {table}_id_seq")
            op.alter_column(table, "id", type_=sa.BigInteger(), existing_type=sa.Integer())
        op.alter_column("note_reply", "note_id", type_=sa.BigInteger(), existing_type=sa.Integer())
    _migrate_data(bind, replies)


def _settings() -> Any:
    from bot.config import Settings

    return Settings.from_env()


def _migrate_data(bind: sa.Connection, replies: list[dict[str, Any]]) -> None:
    meta = sa.MetaData()
    meta.reflect(bind, only=[*ANSWERISH, "note_reply", "pulse_send", "person", "workspace"])
    rows = {
        t: [dict(r._mapping) for r in bind.execute(sa.select(meta.tables[t]))] for t in ANSWERISH
    }
    sends = meta.tables["pulse_send"]
    has_sends = bind.execute(sa.select(sa.func.count()).select_from(sends)).scalar()
    if any(rows.values()) or has_sends:
        secret = _settings().cxpulse_secret
        if not secret:
            raise RuntimeError(
                "migration 0009_privacy re-keys existing pulse answers: set CXPULSE_SECRET "
                "(the same value the app runs with) and run `cxpulse db upgrade` again"
            )
        _rekey(bind, meta, rows, secret, replies)
        _detach_closed_sends(bind, meta, secret)
    _encrypt_tokens(bind)


def _old_keys(bind: sa.Connection, meta: sa.MetaData, secret: str) -> dict[str, tuple[str, str]]:
    person, ws = meta.tables["person"], meta.tables["workspace"]
    found = bind.execute(
        sa.select(ws.c.slack_team_id, person.c.slack_user_id).join(
            ws, ws.c.id == person.c.workspace_id
        )
    ).all()
    return {_hmac(secret, f"{team}:{user}"): (team, user) for team, user in found}


def _rekey(
    bind: sa.Connection,
    meta: sa.MetaData,
    rows: dict[str, list[dict[str, Any]]],
    secret: str,
    replies: list[dict[str, Any]],
) -> None:
    owners = _old_keys(bind, meta, secret)
    new_note_id: dict[int, int] = {}
    bind.execute(sa.delete(meta.tables["note_reply"]))
    rng = random.SystemRandom()
    for table in ANSWERISH:
        moved: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in rows[table]:
            old, day = row["respondent_key"], row["pulse_date"]
            owner = owners.get(old)
            monthly = table == "pulse_extra_answer" and row["question_key"] in MONTHLY
            if monthly:
                day = day.replace(day=1)
                row.update(pulse_date=day, week_start=day)
                if row["question_key"] == "experience_gap":
                    row["team_id"] = None
                period = f"{day:%Y-%m}:monthly"
            else:
                period = _week(day)
            if owner is not None:
                row["respondent_key"] = _hmac(secret, f"{owner[0]}:{owner[1]}:{period}")
            else:  # the writer has left: still unlinkable from one period to the next
                row["respondent_key"] = _hmac(secret, f"orphan:{old}:{period}")
            for dropped in ("answered_at", "created_at"):
                row.pop(dropped, None)
            old_id = row["id"]
            row["id"] = rng.getrandbits(62) + 1
            row["sealed"] = True
            if table == "pulse_note":
                new_note_id[old_id] = row["id"]
            unique = (row["respondent_key"], row["pulse_date"], row.get("question_key"))
            moved[unique] = row  # two days of one month's question: the later one stays
        shuffled = list(moved.values())
        rng.shuffle(shuffled)
        target = meta.tables[table]
        bind.execute(sa.delete(target))
        if shuffled:
            bind.execute(
                sa.insert(target),
                [{c.name: r[c.name] for c in target.columns if c.name in r} for r in shuffled],
            )
    kept = [
        dict(r, note_id=new_note_id[r["note_id"]]) for r in replies if r["note_id"] in new_note_id
    ]
    if kept:
        bind.execute(sa.insert(meta.tables["note_reply"]), kept)


def _detach_closed_sends(bind: sa.Connection, meta: sa.MetaData, secret: str) -> None:
    sends, person, ws = meta.tables["pulse_send"], meta.tables["person"], meta.tables["workspace"]
    today = datetime.now(UTC).date()
    # This month's monthly questions, as traces, so nobody is asked twice this month.
    asked = bind.execute(
        sa.select(
            ws.c.id,
            ws.c.slack_team_id,
            person.c.slack_user_id,
            sends.c.pulse_date,
            sends.c.question_key,
        )
        .join(person, person.c.id == sends.c.person_id)
        .join(ws, ws.c.id == sends.c.workspace_id)
        .where(sends.c.question_key.in_(MONTHLY), sends.c.pulse_date >= today.replace(day=1))
    ).all()
    traces = {
        _hmac(secret, f"{team}:{user}:{day:%Y-%m}:asked:{key}"): {
            "trace": _hmac(secret, f"{team}:{user}:{day:%Y-%m}:asked:{key}"),
            "workspace_id": ws_id,
            "month": day.replace(day=1),
        }
        for ws_id, team, user, day, key in asked
    }
    if traces:
        table = sa.table(
            "pulse_monthly_asked", sa.column("trace"), sa.column("workspace_id"), sa.column("month")
        )
        bind.execute(sa.insert(table), list(traces.values()))
    closed = sends.c.pulse_date < today - timedelta(days=4)
    for before, after in (("sent", "closed"), ("claimed", "skipped")):
        bind.execute(sa.update(sends).where(closed, sends.c.status == before).values(status=after))
    bind.execute(
        sa.update(sends)
        .where(closed)
        .values(
            scheduled_for=None,
            claimed_by=None,
            claimed_at=None,
            sent_at=None,
            attempts=0,
            channel_id=None,
            message_ts=None,
            question_key=None,
            reminder_sent_at=None,
            error=None,
        )
    )


def _encrypt_tokens(bind: sa.Connection) -> None:
    from bot.workspace.tokens import TokenCipher, parse_keys

    meta = sa.MetaData()
    meta.reflect(bind, only=list(TOKEN_COLUMNS))
    cipher: TokenCipher | None = None
    for name, columns in TOKEN_COLUMNS.items():
        table = meta.tables[name]
        for row in bind.execute(sa.select(table)).mappings().all():
            values = {c: row[c] for c in columns if row[c]}
            if not values:
                continue
            if cipher is None:
                raw = _settings().cxpulse_token_key
                if not raw:
                    raise RuntimeError(
                        "migration 0009_privacy encrypts the stored Slack tokens: set "
                        "CXPULSE_TOKEN_KEY (see README, Privacy and trust) and run "
                        "`cxpulse db upgrade` again"
                    )
                cipher = TokenCipher(parse_keys(raw))
            sealed = {c: cipher.seal(v) for c, v in values.items()}
            bind.execute(sa.update(table).where(table.c.id == row["id"]).values(**sealed))


def downgrade() -> None:
    # Keys, ids and day precision cannot be turned back; only the shape is restored.
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.alter_column("note_reply", "note_id", type_=sa.Integer(), existing_type=sa.BigInteger())
        for table in ANSWERISH:
            op.execute(f"DELETE FROM {table}")  # noqa: S608 - a constant table name
            op.alter_column(table, "id", type_=sa.Integer(), existing_type=sa.BigInteger())
            op.execute(f"CREATE SEQUENCE {table}_id_seq OWNED BY {table}.id")
            op.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq')")
    with op.batch_alter_table("pulse_send") as batch_op:
        batch_op.drop_column("reminder_ts")
    with op.batch_alter_table("pulse_preference") as batch_op:
        batch_op.drop_column("forgotten_on")
    for table, restored in (
        ("pulse_note", "created_at"),
        ("pulse_extra_answer", "answered_at"),
        ("pulse_answer", "answered_at"),
    ):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column(
                    restored,
                    sa.DateTime(timezone=True),
                    nullable=False,
                    server_default=sa.func.now(),
                )
            )
            batch_op.drop_column("sealed")
    op.drop_table("pulse_monthly_asked")
