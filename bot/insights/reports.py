"""`cxpulse export team-weeks` and `cxpulse flowon`: offline reports over DATABASE_URL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.core.disclosure import (
    Audience,
    Figure,
    SurfaceAsk,
    last_closed_week,
    mood_figures,
    surface,
)
from bot.core.spreadsheet import render
from bot.core.weeks import iso_week_label
from bot.insights.flowon import METHOD_IN_WORDS, FlowOnFinding, analyse
from bot.insights.teamweeks import TeamWeek, team_weeks
from bot.workspace.config import effective_config
from models import Workspace

# The stable interface: every file `flowon --input` reads has at least these.
BASE_TEAM_WEEK_COLUMNS = (
    "team",
    "week",
    "respondents",
    "mean_mood",
    "participation",
    "moments",
    "win_share",
    "mean_csat",
    "mean_sentiment",
)
# Appended after them: what customers themselves said (help desk).
TEAM_WEEK_COLUMNS = (
    *BASE_TEAM_WEEK_COLUMNS,
    "customer_responses",
    "customer_csat",
    "customer_nps",
    # The team's workload from the help desk: tickets handled and mean handling minutes.
    "tickets",
    "handle_time",
)


class ExportError(ValueError):
    """The request cannot be answered as asked; the message says how to fix it."""


def pick_workspace(session: Session, slack_team_id: str | None) -> Workspace | None:
    """The workspace to report on: the one named, or the only one there is."""
    workspaces = list(session.scalars(select(Workspace).order_by(Workspace.id)))
    if slack_team_id is not None:
        match = [w for w in workspaces if w.slack_team_id == slack_team_id]
        if not match:
            raise ExportError(f"no workspace {slack_team_id!r} in this database")
        return match[0]
    if len(workspaces) > 1:
        ids = ", ".join(w.slack_team_id for w in workspaces)
        raise ExportError(f"several workspaces in this database; pick one with --workspace ({ids})")
    return workspaces[0] if workspaces else None


def _round(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def team_week_record(row: TeamWeek) -> dict[str, Any]:
    """One export row with the stable column names (mood columns None when withheld)."""
    return {
        "team": row.team,
        "week": iso_week_label(row.week_start),
        "respondents": row.respondents,
        "mean_mood": _round(row.mean_mood, 3),
        "participation": _round(row.participation, 3),
        "moments": row.moments,
        "win_share": _round(row.win_share, 3),
        "mean_csat": _round(row.mean_csat, 3),
        "mean_sentiment": _round(row.mean_sentiment, 3),
        "customer_responses": row.customer_responses,
        "customer_csat": _round(row.customer_csat, 3),
        "customer_nps": _round(row.customer_nps, 1),
        "tickets": row.tickets,
        "handle_time": _round(row.handle_time, 1),
    }


def load_team_weeks(
    session: Session, settings: Settings, slack_team_id: str | None, *, now: datetime
) -> tuple[list[TeamWeek], int]:
    """Every closed team-week of the workspace, and the minimum team-weeks for a finding."""
    ws = pick_workspace(session, slack_team_id)
    cfg = effective_config(session, settings=settings, workspace=ws)
    if ws is None:
        return [], cfg.min_team_weeks
    return _closed_team_weeks(session, ws.id, Audience(cfg.anonymity_threshold), now), (
        cfg.min_team_weeks
    )


def _closed_team_weeks(
    session: Session, workspace_id: int, audience: Audience, now: datetime
) -> list[TeamWeek]:
    # A week still open would change under the reader's eyes: one more answer, one more mean.
    until = last_closed_week(now)
    return team_weeks(session, workspace_id=workspace_id, threshold=audience.limit, until=until)


@surface("export_team_weeks")
def export_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """`cxpulse export team-weeks` (and the flow-on's input): every closed team-week."""
    rows = _closed_team_weeks(session, ask.workspace_id, ask.audience, ask.now)
    return mood_figures("export_team_weeks", rows)


def format_team_weeks(rows: Sequence[TeamWeek], fmt: str) -> str:
    """CSV (header + rows, empty cells for withheld values) or a JSON list of objects."""
    return render([team_week_record(r) for r in rows], TEAM_WEEK_COLUMNS, fmt, lineterminator="\n")


def flowon_finding(
    session: Session, settings: Settings, slack_team_id: str | None, *, now: datetime
) -> FlowOnFinding:
    """The flow-on finding over every closed team-week of the workspace."""
    rows, min_team_weeks = load_team_weeks(session, settings, slack_team_id, now=now)
    return analyse(rows, min_team_weeks=min_team_weeks)


def format_flowon(finding: FlowOnFinding, fmt: str) -> str:
    """JSON ``{"summary", "claim", "method", "results", ...}`` or the sentence and a table."""
    if fmt == "json":
        return json.dumps(finding.to_dict(), indent=2) + "\n"
    lines = [finding.summary, "", f"method: {METHOD_IN_WORDS}"]
    if finding.primary_metric is not None:
        lines.append(
            f"primary test: mood leading {finding.primary_metric} by one week, declared in "
            "advance; the rest exploratory (Holm)"
            + (
                "; workload (tickets, handling time) controlled"
                if finding.workload_controlled
                else "; workload not measured"
            )
        )
    lines.append("")
    lines.append(
        f"{'metric':<15} {'lag':>3} {'direction':<13} {'rho':>6} {'95% CI':>16} "
        f"{'n':>5} {'p (adj.)':>9}  role"
    )
    for r in finding.results:
        if r.rho is None or r.ci_low is None or r.ci_high is None or r.p_adjusted is None:
            lines.append(
                f"{r.metric:<15} {r.lag_weeks:>3} {r.direction:<13} {'—':>6} "
                f"{'':>16} {r.n:>5} {'':>9}"
            )
            continue
        ci = f"{r.ci_low:.2f} to {r.ci_high:.2f}"
        lines.append(
            f"{r.metric:<15} {r.lag_weeks:>3} {r.direction:<13} {r.rho:>6.2f} {ci:>16} "
            f"{r.n:>5} {r.p_adjusted:>9.3f}  {r.role}"
        )
    return "\n".join(lines) + "\n"
