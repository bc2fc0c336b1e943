"""Root fixtures: every database test runs twice, on SQLite and on a real PostgreSQL.

Fixtures
- ``pg_cluster`` (session): one throwaway PostgreSQL cluster, started on first use.
- ``db_url`` (params ``sqlite``/``postgres``): a fresh database, already migrated to head.
- ``empty_db_url`` (same params): a fresh, empty database (nothing migrated).
- ``engine``: ``make_engine(db_url)``, disposed afterwards.
- ``session``: a ``Session`` on ``engine``, closed afterwards (tests commit themselves).

Set ``CXPULSE_PG_REPORT`` to a file name to get the number of passed postgres tests in it.
"""

# ruff: noqa: E402
from __future__ import annotations

import sys
from pathlib import Path

# pytest's default ("prepend") import mode puts tests/ on sys.path, where tests/models/ would
# pass for a namespace package named ``models``. With the repo root on sys.path too, the app's
# real (regular) ``models`` package is found first, and ``tests.support.pgcluster`` is importable.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import logging
import os
import shutil
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from models.db import make_engine, make_sessionmaker, upgrade
from tests.support.pgcluster import PostgresCluster, PostgresError, find_pg_bindir

# The `stack` fixture (the app served against the emulator) lives with the shared harness.
pytest_plugins = ["tests.support.fixtures"]

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
PG_TEMPLATE = "cxpulse_migrated"
PG_REPORT_ENV = "CXPULSE_PG_REPORT"


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(autouse=True)
def _root_logger_restored() -> Iterator[None]:
    """Undo what a test's `cxpulse` run did to the root logger (level, handlers).

    Left behind, a handler on a closed capture stream and a DEBUG level make every later
    test's background threads print "Logging error" tracebacks.
    """
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)


# -- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    """The session's PostgreSQL cluster; skips (or fails under CI) without the binaries."""
    bindir = find_pg_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail(
                "PostgreSQL binaries not found but CI is set: install postgresql "
                "(apt-get install postgresql); .ci/run does this",
                pytrace=False,
            )
        pytest.skip(
            "!!! PostgreSQL server binaries (initdb, pg_ctl) not found: the postgres half of the "
            "suite is SKIPPED. Install postgresql (apt-get install postgresql) to run it. !!!"
        )
    cluster = PostgresCluster(bindir)
    try:
        cluster.start()
    except PostgresError as exc:
        pytest.fail(f"could not start the test PostgreSQL cluster:\n{exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def _pg_template(pg_cluster: PostgresCluster) -> str:
    """A database migrated to head once per session; per-test databases copy it."""
    url = pg_cluster.create_database(PG_TEMPLATE)
    upgrade(url)
    pg_cluster.mark_template(PG_TEMPLATE)
    return PG_TEMPLATE


# -- SQLite ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per session; per-test databases copy it."""
    path = tmp_path_factory.mktemp("sqlite-template") / "migrated.sqlite3"
    upgrade(_sqlite_url(path))
    # upgrade() disposes its engine, so WAL is checkpointed into the main file; be sure.
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{path}{suffix}").exists(), f"{path}{suffix} left behind by upgrade"
    return path


# -- per-test databases ---------------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh database migrated to head, on SQLite (a file) or PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "cxpulse.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield _sqlite_url(path)
        return
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    template: str = request.getfixturevalue("_pg_template")
    name = cluster.unique_name("test")
    url = cluster.create_database(name, template=template)
    yield url
    cluster.drop_database(name)


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh database with no tables at all (for migration tests)."""
    if request.param == "sqlite":
        yield _sqlite_url(tmp_path / "empty.sqlite3")
        return
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    name = cluster.unique_name("empty")
    url = cluster.create_database(name)
    yield url
    cluster.drop_database(name)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """The app's engine for ``db_url``; disposed afterwards."""
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on ``engine``; use ``with session.begin():`` or commit yourself."""
    sess = make_sessionmaker(engine)()
    yield sess
    sess.close()


# -- reporting how much of the PostgreSQL half ran ------------------------------------------------

_pg_outcomes: dict[str, int] = {"passed": 0, "failed": 0, "skipped": 0}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "postgres" not in report.keywords:
        return
    if report.when == "call" and report.passed:
        _pg_outcomes["passed"] += 1
    elif report.failed:
        _pg_outcomes["failed"] += 1
    elif report.skipped:
        _pg_outcomes["skipped"] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not any(_pg_outcomes.values()):
        return
    line = (
        f"PostgreSQL: {_pg_outcomes['passed']} postgres tests passed, "
        f"{_pg_outcomes['failed']} failed/errored, {_pg_outcomes['skipped']} skipped"
    )
    terminalreporter.write_sep("-", line, yellow=_pg_outcomes["passed"] == 0)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    report = os.environ.get(PG_REPORT_ENV)
    if report:
        Path(report).write_text(f"{_pg_outcomes['passed']}\n")
