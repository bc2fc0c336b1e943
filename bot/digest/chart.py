"""The digest chart: mood and win share by week, as a PNG (matplotlib, Agg backend)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Protocol

import matplotlib
from matplotlib.figure import Figure

from bot.insights.weeks import iso_week_label

# No display: render to bytes only (pyplot, which would pick a GUI backend, is never imported).
matplotlib.use("Agg")


class ChartWeek(Protocol):
    """What the chart reads from a team-week."""

    @property
    def week_start(self) -> date: ...

    @property
    def mean_mood(self) -> float | None: ...

    @property
    def win_share(self) -> float | None: ...


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def chart_alt_text(series: Sequence[ChartWeek], *, scope: str, lag: int = 0) -> str:
    """What the digest chart shows, in words, for screen readers."""
    title = f"Line chart of {scope}'s mean mood (1–5) and customer win share by week"
    if not series:
        return title + ": no weeks with answers or customer moments yet."
    first, last = iso_week_label(series[0].week_start), iso_week_label(series[-1].week_start)
    parts = [f"{title}, {first} to {last}"]
    moods = [r.mean_mood for r in series if r.mean_mood is not None]
    shares = [100 * r.win_share for r in series if r.win_share is not None]
    for name, values, fmt in (("mean mood", moods, "{:.1f}"), ("win share", shares, "{:.0f}%")):
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
        parts.append(f"a dashed line shifts win share back {lag} week(s) to match the finding")
    return ("; ".join(parts) + ".")[:2000]


def render_chart(series: Sequence[ChartWeek], *, scope: str, lag: int = 0) -> bytes:
    """A PNG of mean mood (withheld weeks left blank) and win share, with the finding's lag.

    With a lag, win share is also drawn shifted back by it, so the weeks the
    finding compares line up vertically.
    """
    weeks = [row.week_start for row in series]
    labels = [iso_week_label(w)[5:] for w in weeks]
    xs = list(range(len(weeks)))
    share_by_week = {row.week_start: row.win_share for row in series}
    fig = Figure(figsize=(8, 3.6), dpi=100)
    mood_ax = fig.add_subplot()
    mood_ax.plot(xs, [_nan(r.mean_mood) for r in series], "o-", color="#2c7be5", label="mood")
    mood_ax.set_ylim(1, 5)
    mood_ax.set_ylabel("mean mood (1–5)")
    share_ax = mood_ax.twinx()
    share_ax.plot(xs, [_nan(r.win_share) for r in series], "s-", color="#00a86b", label="win share")
    if lag:
        shifted = [_nan(share_by_week.get(w + timedelta(weeks=lag))) for w in weeks]
        share_ax.plot(
            xs, shifted, "--", color="#00a86b", alpha=0.6, label=f"win share {lag} wk later"
        )
    share_ax.set_ylim(0, 1)
    share_ax.set_ylabel("share of moments that were wins")
    mood_ax.set_xticks(xs, labels, fontsize=8)
    title = f"{scope}: mood and customer wins by week"
    if lag:
        title += f" (finding compares mood with wins {lag} week{'s' if lag > 1 else ''} later)"
    mood_ax.set_title(title, fontsize=9)
    handles = mood_ax.get_legend_handles_labels()
    extra = share_ax.get_legend_handles_labels()
    mood_ax.legend(handles[0] + extra[0], handles[1] + extra[1], fontsize=7, loc="lower left")
    # Fixed margins: tight_layout() measures every label and costs more than the drawing.
    fig.subplots_adjust(left=0.08, right=0.91, top=0.9, bottom=0.1)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
