"""The lead's App Home chart: its data (a team's last 12 closed weeks), the PNG and alt text.

Mood and participation of a withheld week (fewer people answered than the threshold)
are missing values, drawn as a gap in the line and a shaded "withheld" band: never a
zero, which would read as a collapse.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.core.disclosure import (
    Audience,
    Figure,
    SurfaceAsk,
    last_closed_week,
    surface,
)
from bot.core.weeks import iso_week_label
from bot.insights.teamweeks import (
    WHOLE_WORKSPACE,
    TeamWeek,
    team_weeks,
)
from models import Team
from models.rollup import WHOLE_WORKSPACE_KEY

if TYPE_CHECKING:
    from matplotlib.figure import Figure as PlotFigure

# No display: render to bytes only (pyplot, which would pick a GUI backend, is never imported).

CHART_WEEKS = 12
ALT_TEXT_LIMIT = 2000  # Slack's limit for an image block's alt_text


def _nan(value: float | None, scale: float = 1.0) -> float:
    return math.nan if value is None else value * scale


def _row(rows: dict[date, TeamWeek], week: date) -> TeamWeek | None:
    return rows.get(week)


def _withheld(rows: dict[date, TeamWeek], week: date) -> bool:
    row = rows.get(week)
    return row is None or row.mean_mood is None


def lead_figure(weeks: Sequence[date], rows: dict[date, TeamWeek], *, scope: str) -> PlotFigure:
    """The chart as a matplotlib Figure (withheld weeks are NaN: gaps in every pulse line)."""
    xs = list(range(len(weeks)))
    picked = [_row(rows, w) for w in weeks]
    # Imported here: matplotlib costs a second at start-up, and only charts need it.
    from matplotlib.figure import Figure as PlotFigure

    fig = PlotFigure(figsize=(8, 4.0), dpi=100)
    left = fig.add_subplot()
    right = left.twinx()
    left.plot(xs, [_nan(r.mean_mood if r else None) for r in picked], "o-", color="#2c7be5")
    left.lines[-1].set_label("mean mood (1–5)")
    left.plot(xs, [_nan(r.mean_csat if r else None) for r in picked], "d:", color="#8e44ad")
    left.lines[-1].set_label("customer CSAT (1–5)")
    right.plot(
        xs, [_nan(r.participation if r else None, 100) for r in picked], "^-", color="#f39c12"
    )
    right.lines[-1].set_label("participation (%)")
    right.plot(xs, [_nan(r.win_share if r else None, 100) for r in picked], "s--", color="#00a86b")
    right.lines[-1].set_label("customer wins (% of moments)")
    for x, week in zip(xs, weeks, strict=True):
        if _withheld(rows, week):
            left.axvspan(x - 0.4, x + 0.4, color="#dddddd", alpha=0.6, linewidth=0)
            left.text(x, 1.1, "withheld", rotation=90, fontsize=7, ha="center", color="#666666")
    left.set_ylim(1, 5)
    right.set_ylim(0, 100)
    left.set_ylabel("1–5")
    right.set_ylabel("%")
    left.set_xticks(xs, [iso_week_label(w)[5:] for w in weeks], fontsize=8)
    left.set_title(f"{scope}: the last {len(weeks)} closed weeks", fontsize=9)
    handles, labels = left.get_legend_handles_labels()
    more, more_labels = right.get_legend_handles_labels()
    # Below the plot, so no line is hidden behind it.
    fig.legend(handles + more, labels + more_labels, fontsize=7, loc="lower center", ncols=4)
    # Fixed margins: tight_layout() measures every label and costs more than the drawing.
    fig.subplots_adjust(left=0.07, right=0.92, top=0.92, bottom=0.17)
    return fig


def render_lead_chart(weeks: Sequence[date], rows: dict[date, TeamWeek], *, scope: str) -> bytes:
    """The chart as PNG bytes."""
    buffer = io.BytesIO()
    lead_figure(weeks, rows, scope=scope).savefig(buffer, format="png")
    return buffer.getvalue()


def _span(values: list[float], fmt: str) -> str:
    low, high, last = min(values), max(values), values[-1]
    if len(values) == 1:
        return f"{fmt.format(last)} (one week only)"
    return f"between {fmt.format(low)} and {fmt.format(high)}, latest {fmt.format(last)}"


def chart_alt_text(
    weeks: Sequence[date],
    rows: dict[date, TeamWeek],
    *,
    scope: str,
    threshold: int,
    besides_you: bool = False,
) -> str:
    """What the chart shows, in words, for screen readers (within Slack's 2000 characters)."""
    first, last = iso_week_label(weeks[0]), iso_week_label(weeks[-1])
    parts = [f"Line chart of {scope}'s last {len(weeks)} closed weeks, {first} to {last}"]
    moods = [r.mean_mood for w in weeks if (r := rows.get(w)) and r.mean_mood is not None]
    shares = [r.participation for w in weeks if (r := rows.get(w)) and r.participation is not None]
    wins = [r.win_share for w in weeks if (r := rows.get(w)) and r.win_share is not None]
    csat = [r.mean_csat for w in weeks if (r := rows.get(w)) and r.mean_csat is not None]
    if moods:
        parts.append("mean mood (1–5) " + _span(moods, "{:.1f}"))
    if shares:
        parts.append("participation " + _span([100 * s for s in shares], "{:.0f}%"))
    parts.append(
        "customer wins " + _span([100 * s for s in wins], "{:.0f}%") + " of moments"
        if wins
        else "no customer moments logged"
    )
    if csat:
        parts.append("customer CSAT (1–5) " + _span(csat, "{:.1f}"))
    withheld = [iso_week_label(w) for w in weeks if _withheld(rows, w)]
    if withheld:
        parts.append(
            ", ".join(f"{label} withheld" for label in withheld)
            + f" (fewer than {threshold} people {'besides a lead ' if besides_you else ''}"
            "answered; shown as a gap, not a zero)"
        )
    text = "; ".join(parts) + "."
    return text if len(text) <= ALT_TEXT_LIMIT else text[: ALT_TEXT_LIMIT - 1] + "…"


@dataclass(frozen=True)
class ChartData:
    """One team's (or everyone's) last closed weeks, withheld weeks included as such."""

    scope: str
    team_key: int
    weeks: list[date]
    rows: dict[date, TeamWeek]
    threshold: int
    # Weeks need one respondent more than ``threshold`` (the viewer is in the group).
    besides_you: bool = False

    @property
    def last_week(self) -> date:
        """The newest closed week shown."""
        return self.weeks[-1]

    @property
    def anything_shown(self) -> bool:
        """False when every week's mood was withheld: no chart is worth drawing."""
        return any(r.mean_mood is not None for r in self.rows.values())


def chart_audience(threshold: int) -> Audience:
    """Who a chart is drawn for: one file is shared by every lead of its scope, who are
    (or may be) in the group, so it always needs one respondent more."""
    return Audience(threshold, viewer_in_group=True)


def chart_data(
    session: Session, *, workspace_id: int, team: Team | None, threshold: int, now: datetime
) -> ChartData:
    """The last ``CHART_WEEKS`` closed weeks of ``team`` (or the whole workspace)."""
    audience = chart_audience(threshold)
    last = last_closed_week(now)
    weeks = [last - timedelta(weeks=k) for k in range(CHART_WEEKS - 1, -1, -1)]
    rows = team_weeks(
        session,
        workspace_id=workspace_id,
        threshold=audience.limit,
        since=weeks[0],
        until=last,
        team_id=team.id if team else None,
        by_team=team is not None,
    )
    return ChartData(
        scope=team.name if team else WHOLE_WORKSPACE,
        team_key=team.id if team else WHOLE_WORKSPACE_KEY,
        weeks=weeks,
        rows={r.week_start: r for r in rows if team is None or r.team_id == team.id},
        threshold=audience.shown_threshold,
        besides_you=audience.viewer_in_group,
    )


@surface("lead_chart")
def chart_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """The chart's weeks (and so its alt text): mood and participation per closed week."""
    team = session.get(Team, ask.team_id) if ask.team_id else None
    data = chart_data(
        session,
        workspace_id=ask.workspace_id,
        team=team,
        threshold=ask.audience.threshold,
        now=ask.now,
    )
    return [
        Figure(
            "lead_chart", iso_week_label(r.week_start), r.team, "mood", r.respondents, r.mean_mood
        )
        for r in data.rows.values()
        if r.mean_mood is not None and r.respondents is not None
    ]


@dataclass(frozen=True)
class ChartRef:
    """An uploaded chart to show (``file_id``), or a note saying why there is none."""

    file_id: str | None
    alt_text: str
    note: str | None = None
