"""`cxpulse run-job purge`: old answers and notes go, everything else stays."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models import CustomerMoment, PulseAnswer, PulseNote
from tests.support.exports import seed_exports
from tests.support.seeding import seed_week
from tests.support.stack import SandboxStack


def test_purge_job_keeps_recent_rows_and_reported_data(stack: SandboxStack) -> None:
    stack.runtime.settings = stack.settings.with_overrides(retention_days=30)
    today = stack.clock().date()
    with stack.runtime.transaction() as session:
        seed_exports(session)  # workspace T1: a moment, a celebration, an answer in 2026-W10
        old, recent = today - timedelta(days=31), today - timedelta(days=30)
        for day in (old, recent):
            seed_week(
                session,
                secret="k",
                team_id="T1",
                users=["U1"],
                week_start=day,
                notes={"U1": f"note {day}"},
            )

    stack.emulator.reset_calls()
    report = stack.run_job("purge")

    assert report["T1"]["answers"] == 1
    assert report["T1"]["notes"] == 1
    with stack.runtime.sessions() as session:
        days = set(session.scalars(select(PulseAnswer.pulse_date)))
        assert old not in days
        assert recent in days
        assert set(session.scalars(select(PulseNote.text))) == {f"note {recent}"}
        assert session.scalar(select(func.count()).select_from(CustomerMoment)) == 1
    assert stack.emulator.calls == []  # purging needs no Slack at all
