"""The digest chart: mood and the finding's outcome by week, as a PNG (matplotlib, Agg).

The outcome drawn is the one the flow-on finding is about (the claimed one, else the
primary one; win share when there is no finding), on its own documented scale, and the
dashed line shifts it back by the finding's lag.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from bot.core.weeks import iso_week_label

# No display: render to bytes only (pyplot, which would pick a GUI backend, is never imported).


class ChartWeek(Protocol):
    """What the chart reads from a team-week (the outcome column is read by name)."""

    @property
    def week_start(self) -> date: ...

    @property
    def mean_mood(self) -> float | None: ...


@dataclass(frozen=True)
class Axis:
    """How an outcome is named and scaled on the chart (the export's own scale)."""

    short: str  # legend and alt text
    label: str  # the right-hand axis
    named: str  # the alt text's title
    low: float
    high: float
    percent: bool = False


AXES = {
    "win_share": Axis(
        "win share", "share of moments that were wins", "customer win share", 0, 1, percent=True
    ),
    "customer_csat": Axis(
        "customer CSAT", "CSAT customers gave (1–5)", "the CSAT customers gave (1–5)", 1, 5
    ),
    "customer_nps": Axis(
        "customer NPS", "NPS customers gave (−100 to 100)", "customers' NPS", -100, 100
    ),
    "mean_csat": Axis(
        "staff-recorded CSAT", "CSAT staff recorded (1–5)", "the CSAT staff recorded (1–5)", 1, 5
    ),
    "mean_sentiment": Axis(
        "story sentiment", "how stories read (−1 to 1)", "how stories read (−1 to 1)", -1, 1
    ),
}


def _values(series: Sequence[ChartWeek], metric: str) -> list[float | None]:
    return [getattr(row, metric, None) for row in series]


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def chart_alt_text(
    series: Sequence[ChartWeek], *, scope: str, lag: int = 0, metric: str = "win_share"
) -> str:
    """What the digest chart shows, in words, for screen readers."""
    axis = AXES[metric]
    title = f"Line chart of {scope}'s mean mood (1–5) and {axis.named} by week"
    if not series:
        return title + ": no weeks with answers or customer moments yet."
    first, last = iso_week_label(series[0].week_start), iso_week_label(series[-1].week_start)
    parts = [f"{title}, {first} to {last}"]
    moods = [r.mean_mood for r in series if r.mean_mood is not None]
    scale = 100 if axis.percent else 1
    shares = [scale * v for v in _values(series, metric) if v is not None]
    shown = "{:.0f}%" if axis.percent else "{:.0f}" if metric == "customer_nps" else "{:.2f}"
    for name, values, fmt in (("mean mood", moods, "{:.1f}"), (axis.short, shares, shown)):
        if len(values) == 1:
            parts.append(f"{name} {fmt.format(values[0])} (one week only)")
        elif values:
            low, high, latest = (fmt.format(v) for v in (min(values), max(values), values[-1]))
            parts.append(f"{name} between {low} and {high}, latest {latest}")
    withheld = [iso_week_label(r.week_start) for r in series if r.mean_mood is None]
    if withheld:
        parts.append(
            ", ".join(f"{w} withheld" for w in withheld)
            + " (too few people answered; shown as a gap)"
        )
    if lag:
        parts.append(f"a dashed line shifts {axis.short} back {lag} week(s) to match the finding")
    return ("; ".join(parts) + ".")[:2000]


def render_chart(
    series: Sequence[ChartWeek], *, scope: str, lag: int = 0, metric: str = "win_share"
) -> bytes:
    """A PNG of mean mood (withheld weeks left blank) and the finding's outcome and lag.

    With a lag, the outcome is also drawn shifted back by it, so the weeks the
    finding compares line up vertically.
    """
    axis = AXES[metric]
    weeks = [row.week_start for row in series]
    labels = [iso_week_label(w)[5:] for w in weeks]
    xs = list(range(len(weeks)))
    values = _values(series, metric)
    share_by_week = dict(zip(weeks, values, strict=True))
    # Imported here: matplotlib costs a second at start-up, and only charts need it.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.6), dpi=100)
    mood_ax = fig.add_subplot()
    mood_ax.plot(xs, [_nan(r.mean_mood) for r in series], "o-", color="#2c7be5", label="mood")
    mood_ax.set_ylim(1, 5)
    mood_ax.set_ylabel("mean mood (1–5)")
    share_ax = mood_ax.twinx()
    share_ax.plot(xs, [_nan(v) for v in values], "s-", color="#00a86b", label=axis.short)
    if lag:
        shifted = [_nan(share_by_week.get(w + timedelta(weeks=lag))) for w in weeks]
        share_ax.plot(
            xs, shifted, "--", color="#00a86b", alpha=0.6, label=f"{axis.short} {lag} wk later"
        )
    share_ax.set_ylim(axis.low, axis.high)
    share_ax.set_ylabel(axis.label)
    mood_ax.set_xticks(xs, labels, fontsize=8)
    title = f"{scope}: mood and {axis.short} by week"
    if lag:
        title += (
            f" (finding compares mood with {axis.short} {lag} week{'s' if lag > 1 else ''} later)"
        )
    mood_ax.set_title(title, fontsize=9)
    handles = mood_ax.get_legend_handles_labels()
    extra = share_ax.get_legend_handles_labels()
    mood_ax.legend(handles[0] + extra[0], handles[1] + extra[1], fontsize=7, loc="lower left")
    # Fixed margins: tight_layout() measures every label and costs more than the drawing.
    fig.subplots_adjust(left=0.08, right=0.91, top=0.9, bottom=0.1)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
