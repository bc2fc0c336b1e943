"""`cxpulse demo` end to end, small: the real app driven through the emulator, then its outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from bot.app import all_jobs
from bot.core.disclosure import CLOSE_MARGIN
from bot.demo.run import DemoOptions, DemoResult, simulate
from bot.demo.schedule import PulseGroup, demo_jobs, pulse_runs, reminder_runs, upkeep_jobs
from bot.insights.reports import TEAM_WEEK_COLUMNS
from models import (
    Celebration,
    CustomerMoment,
    CustomerOutcome,
    PulseAnswer,
    PulseNote,
    PulseSend,
    PulseSendFlag,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    out = tmp_path_factory.mktemp("demo-out")
    return simulate(DemoOptions(people=12, teams=3, weeks=4, seed=3, out=out, quiet=True))


def test_the_demo_succeeds_and_writes_every_output(demo: DemoResult) -> None:
    assert demo.ok
    names = {p.name for p in demo.files}
    assert {"digest.json", "team-weeks.csv", "cxpulse-demo.db"} <= names
    charts = [p for p in demo.files if p.suffix == ".png"]
    assert charts, names
    for chart in charts:
        assert chart.read_bytes().startswith(PNG_SIGNATURE)
    digest = json.loads((demo.out / "digest.json").read_text())
    assert digest["blocks"]
    assert "customer rating" in json.dumps(digest["blocks"])  # what customers said
    assert digest["text"]
    header = (demo.out / "team-weeks.csv").read_text().splitlines()[0]
    assert header == ",".join(TEAM_WEEK_COLUMNS)
    assert header == (
        "team,week,respondents,mean_mood,participation,moments,win_share,mean_csat,mean_sentiment,"
        "customer_responses,customer_csat,customer_nps,tickets,handle_time"
    )


def test_the_database_holds_what_people_did_through_slack(demo: DemoResult) -> None:
    engine = create_engine(f"sqlite:///{demo.out / 'cxpulse-demo.db'}")
    try:
        with engine.connect() as conn:

            def count(model: type) -> int:
                return int(conn.scalar(select(func.count()).select_from(model)) or 0)

            sent = count(PulseSend)
            answers = count(PulseAnswer)
            assert sent >= 12 * 5 * 4 * 0.9  # everyone, every working day (first week may clip)
            assert 0.5 * sent < answers <= sent
            assert answers == demo.counts["pulse answers"]
            assert count(CustomerMoment) == demo.counts["customer moments"] > 0
            assert count(Celebration) == demo.counts["celebrations"] > 0
            assert count(PulseNote) == demo.counts.get("notes", 0)
            # The help desk: its export imported, its newest ratings pushed by signed webhook.
            imported = demo.counts["helpdesk:imported"]
            assert imported > 12 * 4  # at least one rating per person a week
            assert demo.counts["helpdesk:webhook accepted"] == demo.counts["helpdesk:webhook rows"]
            assert count(CustomerOutcome) == imported + demo.counts["helpdesk:webhook rows"]
            matched = select(func.count()).where(CustomerOutcome.team_id.is_not(None))
            assert conn.scalar(matched) == count(CustomerOutcome)  # every agent is in Slack
    finally:
        engine.dispose()


def test_the_app_did_the_real_slack_work(demo: DemoResult) -> None:
    # Counted from the emulator's recorded calls as the weeks ran (the log is reset weekly).
    # Each tap is answered ephemerally; the pulse DM itself is never edited.
    assert demo.counts["response_url"] >= demo.counts["pulse answers"]
    assert demo.counts.get("chat.update", 0) == 0
    assert demo.counts["views.open"] >= demo.counts["customer moments"]
    assert demo.counts["job:pulses"] > 0
    assert demo.counts["job:reminders"] > 0
    assert demo.counts["job:digests"] == 5  # each Monday, and the Monday after the last week
    assert demo.counts["files.completeUploadExternal"] == 5


def test_the_demo_runs_the_schedulers_job_list() -> None:
    # One list: the scheduler registers all_jobs(); the demo times some and runs the rest
    # nightly, so a job added to the scheduler is run by the demo without a second list.
    scheduled = list(all_jobs())
    assert sorted(demo_jobs()) == sorted(scheduled)
    assert len(demo_jobs()) == len(set(demo_jobs()))
    assert {"pulse-window", "rollup", "purge", "drop-alerts"} <= set(upkeep_jobs())


def test_the_demo_ran_every_scheduled_job_and_keeps_what_production_keeps(
    demo: DemoResult,
) -> None:
    ran = {name.removeprefix("job:") for name, n in demo.counts.items() if name.startswith("job:")}
    assert ran == set(all_jobs())
    # The windows of every pulse have closed by the end: the database holds no send
    # details, no reminder or skip flags, and every day but the last few is sealed.
    engine = create_engine(f"sqlite:///{demo.out / 'cxpulse-demo.db'}")
    try:
        with engine.connect() as conn:
            statuses = set(conn.scalars(select(PulseSend.status).distinct()))
            assert statuses <= {"closed", "failed"}, statuses
            timed = select(func.count()).where(PulseSend.scheduled_for.is_not(None))
            assert conn.scalar(timed) == 0
            assert conn.scalar(select(func.count()).select_from(PulseSendFlag)) == 0
            last = conn.scalar(select(func.max(PulseAnswer.pulse_date)))
            unsealed = set(conn.scalars(select(PulseAnswer.pulse_date).where(~PulseAnswer.sealed)))
            assert last is not None
            assert all((last - day).days <= CLOSE_MARGIN.days for day in unsealed), unsealed
            assert conn.scalar(select(func.count()).where(PulseAnswer.sealed)) > 0
    finally:
        engine.dispose()


def test_pulse_runs_reach_every_time_zone_within_the_catch_up() -> None:
    from datetime import UTC, datetime, timedelta

    base = datetime(2026, 3, 2, tzinfo=UTC)
    groups = [PulseGroup("UTC", base + timedelta(hours=h)) for h in (0, 1, 2.5, 3, 7, 23)]
    window = timedelta(hours=3)
    runs = pulse_runs(groups, window)
    for group in groups:
        assert any(run - window < group.due <= run for run in runs), group
    assert len(runs) == 4  # 0–2.5 h together; 3 h, 7 h and 23 h each on their own


def test_reminder_runs_stab_every_window() -> None:
    from datetime import UTC, datetime, timedelta

    base = datetime(2026, 3, 2, tzinfo=UTC)
    windows = [
        (base, base + timedelta(hours=5)),
        (base + timedelta(hours=4), base + timedelta(hours=9)),
    ]
    windows.append((base + timedelta(hours=10), base + timedelta(hours=11)))
    runs = reminder_runs(windows)
    assert len(runs) == 2
    for first, last in windows:
        assert any(first <= run <= last for run in runs)


def test_digest_file_is_block_kit(demo: DemoResult) -> None:
    digest = json.loads(Path(demo.out / "digest.json").read_text())
    assert all("type" in block for block in digest["blocks"])


def test_the_demo_stories_read_the_way_they_were_logged(demo: DemoResult) -> None:
    # Wins and problems must separate in what the digest says about story sentiment.
    engine = create_engine(f"sqlite:///{demo.out / 'cxpulse-demo.db'}")
    try:
        with engine.connect() as conn:
            means = dict(
                conn.execute(
                    select(CustomerMoment.outcome, func.avg(CustomerMoment.sentiment)).group_by(
                        CustomerMoment.outcome
                    )
                ).all()
            )
    finally:
        engine.dispose()
    assert means["win"] > 0.15 > -0.15 > means["problem"], means
    digest = json.loads((demo.out / "digest.json").read_text())
    line = next(
        b["text"]["text"] for b in digest["blocks"] if "Customer moments" in str(b.get("text"))
    )
    assert "stories read" in line
    read = re.search(r"wins ([+-]\d\.\d\d), problems ([+-]\d\.\d\d)", line)
    assert read is not None, line
    assert float(read.group(1)) > float(read.group(2)), line


def test_the_same_story_plays_over_socket_mode(tmp_path: Path) -> None:
    """`cxpulse demo --socket-mode`: every request reaches the app over its WebSockets."""
    result = simulate(
        DemoOptions(people=8, teams=2, weeks=2, seed=5, out=tmp_path, quiet=True, socket_mode=True)
    )
    assert result.ok
    assert result.counts["pulse answers"] > 0
    assert result.counts["customer moments"] > 0
    # Each tap, submission and command was one acked envelope (plus /cx help at the start).
    envelopes = result.counts["socket mode envelopes"]
    assert envelopes > result.counts["pulse answers"] + result.counts["customer moments"]
    # No HTTP server, so no webhook: the help desk's ratings all come by its export.
    assert result.counts["helpdesk:imported"] > 0
    assert result.counts["helpdesk:webhook rows"] == 0
