"""`cxpulse flowon --input FILE.csv`: no database needed or touched.

Run as a real process for a good file, a bad one and a missing one; the other bad
files go through the same entry point (``bot.cli.main``) in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bench.flowon_panels import PanelSpec, panel_csv
from bot.cli import main as cxpulse

LINK = PanelSpec(teams=20, weeks=26, effect=0.4, lag=1)
NULL = PanelSpec(teams=20, weeks=26, mood_ar=0.8, outcome_ar=0.8)


def _flowon(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CXPULSE_"))}
    # A database that must not come into being: --input needs none.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'must-not-exist.db'}"
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "flowon", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _write(tmp_path: Path, text: str, name: str = "team-weeks.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_planted_link_from_a_file_is_claimed_in_json_and_text(tmp_path: Path) -> None:
    path = _write(tmp_path, panel_csv(LINK, 0))
    done = _flowon(tmp_path, "--input", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert list(out)[:4] == ["summary", "claim", "method", "results"]
    assert out["claim"] is True
    assert out["method"] == "twfe-granger-team-permutation-one-sided"
    assert (out["claimed"]["lag_weeks"], out["claimed"]["direction"]) == (1, "mood_leads")
    assert out["summary"].startswith("In weeks when a team's mood was above its usual level")
    assert len(out["results"]) == 15
    # The declared test is one-sided (better mood, better outcomes); the rest two-sided.
    sides = {(r["role"], r["alternative"]) for r in out["results"] if r["p_adjusted"] is not None}
    assert sides == {("primary", "greater"), ("exploratory", "two-sided")}
    text = _flowon(tmp_path, "--input", str(path))
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines()[0] == out["summary"]
    assert not (tmp_path / "must-not-exist.db").exists()


def _in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cxpulse(["flowon", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_no_link_in_a_file_says_no_clear_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, panel_csv(NULL, 1))
    status, stdout, _ = _in_process(capsys, "--input", str(path), "--format", "json")
    assert status == 0
    out = json.loads(stdout)
    assert out["claim"] is False
    assert out["claimed"] is None
    assert out["summary"].startswith("No clear link")
    assert "could go unseen" in out["summary"]


def test_customer_columns_are_used_and_unknown_columns_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = panel_csv(PanelSpec(teams=20, weeks=26, effect=0.4, lag=1, customer=True), 2)
    rows = lines.splitlines()
    rows = [rows[0] + ",notes_from_elsewhere"] + [row + ",whatever" for row in rows[1:]]
    path = _write(tmp_path, "\n".join(rows) + "\n")
    status, stdout, _ = _in_process(capsys, "--input", str(path), "--format", "json")
    assert status == 0
    out = json.loads(stdout)
    assert out["primary_metric"] == "customer_csat"
    assert out["claimed"]["metric"] == "customer_csat"
    assert {r["metric"] for r in out["results"]} == {
        "customer_csat",
        "customer_nps",
        "win_share",
        "mean_csat",
        "mean_sentiment",
    }


GOOD = panel_csv(PanelSpec(teams=4, weeks=3), 3).splitlines()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "line 1: empty file; expected the columns team, week, respondents"),
        (
            [GOOD[0].replace(",win_share", ""), *GOOD[1:]],
            "line 1: missing column win_share; expected the columns",
        ),
        (
            [GOOD[0], GOOD[1], GOOD[2].replace("2025-W03", "2025-13"), *GOOD[3:]],
            "line 3, column week: '2025-13' is not an ISO week such as 2026-W11",
        ),
        (
            [GOOD[0], GOOD[1], GOOD[2], GOOD[2]],
            "line 4, column week: 'team-00' 2025-W03 again (first on line 3)",
        ),
        (
            [*GOOD[:4], GOOD[4].replace(GOOD[4].split(",")[3], "lots", 1)],
            "line 5, column mean_mood: 'lots' is not a number",
        ),
        (
            [*GOOD[:5], GOOD[5].replace(GOOD[5].split(",")[3], "7.5", 1)],
            "line 6, column mean_mood: '7.5' is outside 1 to 5",
        ),
        ([*GOOD[:2], GOOD[2] + ",1,2"], "line 3: 11 fields, the header has 9"),
        ([*GOOD[:2], ",".join(GOOD[2].split(",")[:5])], "line 3: 5 fields, the header has 9"),
        ([GOOD[0], "," + GOOD[1].split(",", 1)[1]], "line 2, column team: empty"),
    ],
)
def test_a_bad_file_gets_a_clear_error_naming_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str], message: str
) -> None:
    path = _write(tmp_path, "\n".join(lines) + ("\n" if lines else ""))
    status, stdout, stderr = _in_process(capsys, "--input", str(path), "--format", "json")
    assert status == 2
    assert stdout == ""
    assert message in stderr
    assert stderr.startswith(f"cxpulse: {path}")


def test_a_bad_file_and_a_missing_one_exit_2_as_a_process(tmp_path: Path) -> None:
    bad = [*GOOD[:5], GOOD[5].replace(GOOD[5].split(",")[3], "3,5", 1)]
    path = _write(tmp_path, "\n".join(bad) + "\n")
    done = _flowon(tmp_path, "--input", str(path), "--format", "json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"cxpulse: {path}, line 6: 10 fields, the header has 9\n"
    missing = _flowon(tmp_path, "--input", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2
    assert missing.stdout == ""
    assert "nope.csv: no such file" in missing.stderr
    assert "Traceback" not in done.stderr + missing.stderr
    assert not (tmp_path / "must-not-exist.db").exists()


BUSY = PanelSpec(teams=20, weeks=26, workload=0.6, workload_column=True)


def test_workload_columns_are_read_and_controlled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = panel_csv(BUSY, 21)
    assert text.splitlines()[0].endswith(",tickets,handle_time")
    path = _write(tmp_path, text)
    status, stdout, _ = _in_process(capsys, "--input", str(path), "--format", "json")
    assert status == 0
    out = json.loads(stdout)
    assert out["workload_controlled"] is True
    assert out["claim"] is False  # the same panel without the columns claims a link
    status, stdout, _ = _in_process(capsys, "--input", str(path))
    assert "workload (tickets, handling time) controlled" in stdout


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("tickets", "2.5", "column tickets: '2.5' is not a whole number"),
        ("handle_time", "-3", "column handle_time: '-3' is outside 0 to inf"),
    ],
)
def test_a_bad_workload_cell_is_refused_naming_its_column(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    column: str,
    value: str,
    message: str,
) -> None:
    lines = panel_csv(BUSY, 1).splitlines()
    at = lines[0].split(",").index(column)
    cells = lines[3].split(",")
    cells[at] = value
    lines[3] = ",".join(cells)
    path = _write(tmp_path, "\n".join(lines) + "\n")
    status, stdout, stderr = _in_process(capsys, "--input", str(path), "--format", "json")
    assert (status, stdout) == (2, "")
    assert f"line 4, {message}" in stderr


def test_customer_csat_on_zero_to_one_is_refused_with_the_conversion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = panel_csv(replace(NULL, customer=True), 1).splitlines()
    at = lines[0].split(",").index("customer_csat")
    cells = lines[2].split(",")
    cells[at] = "0.8"
    lines[2] = ",".join(cells)
    path = _write(tmp_path, "\n".join(lines) + "\n")
    status, _, stderr = _in_process(capsys, "--input", str(path), "--format", "json")
    assert status == 2
    assert "column customer_csat: '0.8' is outside 1 to 5" in stderr
    assert "a 0–1 share x is 1 + 4x on it" in stderr
