"""Every job runs each workspace on its own: one workspace failing leaves the others served."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest

import bot.alerts.jobs
import bot.digest.jobs
import bot.insights.jobs
import bot.moments.jobs
import bot.pulse.jobs
import bot.workspace.jobs
from tests.support.oauth import install, oauth_stack
from tests.support.stack import SandboxStack

PULSE_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday 10:00 in London
DIGEST_AT = datetime(2026, 3, 9, 9, 5, tzinfo=UTC)  # the Monday after


def fail_first_call(monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str) -> None:
    """``module.name`` raises on its first call (the first workspace visited), then works."""
    real: Callable[..., Any] = getattr(module, name)
    calls: list[int] = []

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database went away half-way")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, flaky)


def two_workspaces(stack: SandboxStack) -> dict[str, str]:
    """Acme and Bolt Co installed, one person and a #cx-digest channel in each."""
    people = {}
    for team, name in (("TAAA", "Acme"), ("TBBB", "Bolt Co")):
        install(stack, team, name)
        people[team] = stack.emulator.add_user(name=f"p{team}", team_id=team, tz="Europe/London")[
            "id"
        ]
        stack.emulator.add_channel("cx-digest", team_id=team)
    stack.run_job("sync-users")
    return people


def failed_and_served(report: dict[str, Any]) -> tuple[str, str]:
    (failed,) = [team for team, result in report.items() if result.get("error")]
    (served,) = [team for team in report if team != failed]
    assert report[failed] == {"error": "RuntimeError"}
    return failed, served


def test_pulses_digests_and_followups_go_on_after_a_workspace_fails(
    db_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with oauth_stack(db_url, digest_channels=("#cx-digest",)) as stack:
        people = two_workspaces(stack)

        fail_first_call(monkeypatch, bot.pulse.jobs, "send_due_pulses")
        failed, served = failed_and_served(stack.run_job("pulses", PULSE_AT))
        assert f"job pulses failed in workspace {failed}" in caplog.text
        dms = [c for c in stack.emulator.calls_to("chat.postMessage") if c.team_id == served]
        assert [c.args["channel"] for c in dms] != []
        assert stack.actor.dm_of(people[served], team_id=served)

        fail_first_call(monkeypatch, bot.digest.jobs, "send_workspace_digests")
        report = stack.run_job("digests", DIGEST_AT)
        _, served = failed_and_served(report)
        assert list(report[served].values()) == ["sent"]

        fail_first_call(monkeypatch, bot.moments.jobs, "due_followups")
        report = stack.run_job("followups", DIGEST_AT)
        _, served = failed_and_served(report)
        assert report[served] == {"due": 0, "sent": 0, "failed": 0, "skipped": 0}


@pytest.mark.parametrize(
    ("job", "module", "step"),
    [
        ("sync-users", bot.workspace.jobs, "fetch_directory"),
        ("reminders", bot.pulse.jobs, "claim_reminders"),
        ("purge", bot.workspace.jobs, "purge_before"),
        ("rollup", bot.insights.jobs, "refresh_rollup"),
        ("drop-alerts", bot.alerts.jobs, "alert_workspace"),
    ],
)
def test_every_other_job_isolates_workspaces_too(
    db_url: str, monkeypatch: pytest.MonkeyPatch, job: str, module: ModuleType, step: str
) -> None:
    with oauth_stack(db_url) as stack:
        two_workspaces(stack)
        fail_first_call(monkeypatch, module, step)
        report = stack.run_job(job, PULSE_AT)
        _, served = failed_and_served(report)
        assert "error" not in report[served]


def test_a_deleted_team_group_is_skipped_and_the_rest_syncs(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with oauth_stack(db_url, team_groups=("support", "gone")) as stack:
        install(stack, "TAAA", "Acme")
        amy = stack.emulator.add_user(name="amy", team_id="TAAA")["id"]
        stack.emulator.add_usergroup(handle="support", name="Support", users=[amy], team_id="TAAA")
        report = stack.run_job("sync-users")
        assert "error" not in report["TAAA"]
        assert "'gone' not found" in caplog.text
