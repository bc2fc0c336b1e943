"""Alembic migrations build the schema the models describe, both ways, on both backends."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

import models
from models.db import alembic_config, make_engine, upgrade


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _diff(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, models.Base.metadata))


def test_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, "migrations have branched: merge the heads"


def test_upgrade_builds_schema_on_empty_database(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url, pooled=False)
    try:
        assert _tables(engine) == set()
        upgrade(empty_db_url)
        tables = _tables(engine)
        assert set(models.Base.metadata.tables) <= tables
        assert "alembic_version" in tables
    finally:
        engine.dispose()


def test_models_and_migrations_agree(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url, pooled=False)
    try:
        assert _diff(engine) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_then_upgrade_again(db_url: str) -> None:
    engine = make_engine(db_url, pooled=False)
    try:
        command.downgrade(alembic_config(db_url), "base")
        assert _tables(engine) & set(models.Base.metadata.tables) == set()
        upgrade(db_url)
        assert set(models.Base.metadata.tables) <= _tables(engine)
        assert _diff(engine) == []
    finally:
        engine.dispose()
