"""The digest chart: mood and the finding's outcome by week, as a PNG (matplotlib, Agg).

The outcome drawn is the one the flow-on finding is about (the claimed one, else the
primary one; win share when there is no finding), on its own documented scale, and the
dashed line shifts it back by the finding's lag.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

from babel.lists import format_list

from bot.core.i18n import ENGLISH, N_, Translator

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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
        N_("win share"),
        N_("share of moments that were wins"),
        N_("customer win share"),
        0,
        1,
        percent=True,
    ),
    "customer_csat": Axis(
        N_("customer CSAT"),
        N_("CSAT customers gave (1–5)"),
        N_("the CSAT customers gave (1–5)"),
        1,
        5,
    ),
    "customer_nps": Axis(
        N_("customer NPS"), N_("NPS customers gave (−100 to 100)"), N_("customers' NPS"), -100, 100
    ),
    "mean_csat": Axis(
        N_("staff-recorded CSAT"),
        N_("CSAT staff recorded (1–5)"),
        N_("the CSAT staff recorded (1–5)"),
        1,
        5,
    ),
    "mean_sentiment": Axis(
        N_("story sentiment"),
        N_("how stories read (−1 to 1)"),
        N_("how stories read (−1 to 1)"),
        -1,
        1,
    ),
}


def _values(series: Sequence[ChartWeek], metric: str) -> list[float | None]:
    return [getattr(row, metric, None) for row in series]


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _figure(t: Translator, value: float, metric: str, percent: bool) -> str:
    if percent:
        return t.percent(value)
    return t.number(value, decimals=0 if metric == "customer_nps" else 2)


def withheld_weeks(
    weeks: Sequence[date], *, threshold: int, besides_you: bool = False, t: Translator = ENGLISH
) -> str:
    """The withheld weeks of a chart, each named by its Monday and listed the language's way
    ("withheld weeks: 9 March and 16 March (…)"): the digest's and the lead's App Home's."""
    values = {
        "weeks": format_list([t.day_of_month(w) for w in weeks], locale=t.locale),
        "n": t.number(threshold),
    }
    if besides_you:
        return t.gettext(
            "withheld weeks: %(weeks)s (fewer than %(n)s people besides a lead answered; "
            "shown as a gap, not a zero)",
            **values,
        )
    return t.gettext(
        "withheld weeks: %(weeks)s (fewer than %(n)s people answered; shown as a gap, not a zero)",
        **values,
    )


def chart_alt_text(
    series: Sequence[ChartWeek],
    *,
    scope: str,
    threshold: int,
    besides_you: bool = False,
    lag: int = 0,
    metric: str = "win_share",
    t: Translator = ENGLISH,
) -> str:
    """What the digest chart shows, in words, for screen readers; weeks are named by their
    Monday ("from the week of 2 March to the week of 9 March"), as people read them."""
    axis = AXES[metric]
    short = t.gettext(axis.short)
    title = t.gettext(
        "Line chart of %(scope)s's mean mood (1–5) and %(outcome)s by week",
        scope=scope,
        outcome=t.gettext(axis.named),
    )
    if not series:
        return t.gettext("%(title)s: no weeks with answers or customer moments yet.", title=title)
    parts = [
        t.gettext(
            "%(title)s, from the week of %(first)s to the week of %(last)s",
            title=title,
            first=t.day_of_month(series[0].week_start),
            last=t.day_of_month(series[-1].week_start),
        )
    ]
    moods = [t.number(r.mean_mood, decimals=1) for r in series if r.mean_mood is not None]
    raw = [v for v in _values(series, metric) if v is not None]
    outcomes = [_figure(t, v, metric, axis.percent) for v in raw]
    ranges = (
        (t.gettext("mean mood"), moods, [r.mean_mood for r in series if r.mean_mood is not None]),
        (short, outcomes, raw),
    )
    for name, shown, values in ranges:
        if len(values) == 1:
            parts.append(t.gettext("%(name)s %(value)s (one week only)", name=name, value=shown[0]))
        elif values:
            low = shown[values.index(min(values))]
            high = shown[values.index(max(values))]
            parts.append(
                t.gettext(
                    "%(name)s between %(low)s and %(high)s, latest %(latest)s",
                    name=name,
                    low=low,
                    high=high,
                    latest=shown[-1],
                )
            )
    withheld = [r.week_start for r in series if r.mean_mood is None]
    if withheld:
        parts.append(withheld_weeks(withheld, threshold=threshold, besides_you=besides_you, t=t))
    if lag:
        parts.append(
            t.ngettext(
                "a dashed line shifts %(outcome)s back %(n)s week to match the finding",
                "a dashed line shifts %(outcome)s back %(n)s weeks to match the finding",
                lag,
                outcome=short,
            )
        )
    return t.gettext("%(parts)s.", parts="; ".join(parts))[:2000]


def chart_title(scope: str, *, metric: str, lag: int, t: Translator = ENGLISH) -> str:
    """The chart's title, drawn above it."""
    short = t.gettext(AXES[metric].short)
    title = t.gettext("%(scope)s: mood and %(outcome)s by week", scope=scope, outcome=short)
    if not lag:
        return title
    return (
        title
        + " "
        + t.ngettext(
            "(finding compares mood with %(outcome)s %(n)s week later)",
            "(finding compares mood with %(outcome)s %(n)s weeks later)",
            lag,
            outcome=short,
        )
    )


def chart_figure(
    series: Sequence[ChartWeek],
    *,
    scope: str,
    lag: int = 0,
    metric: str = "win_share",
    t: Translator = ENGLISH,
) -> Figure:
    """Mean mood (withheld weeks left blank) and the finding's outcome and lag, labelled in
    ``t``'s language; each week is named by its Monday ("9 Mar"), as on the lead's App Home.

    With a lag, the outcome is also drawn shifted back by it, so the weeks the
    finding compares line up vertically.
    """
    axis = AXES[metric]
    short = t.gettext(axis.short)
    weeks = [row.week_start for row in series]
    labels = [t.short_day_of_month(w) for w in weeks]  # each week by its Monday: "9 Mar"
    xs = list(range(len(weeks)))
    values = _values(series, metric)
    share_by_week = dict(zip(weeks, values, strict=True))
    # Imported here: matplotlib costs a second at start-up, and only charts need it.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.6), dpi=100)
    mood_ax = fig.add_subplot()
    mood_ax.plot(
        xs, [_nan(r.mean_mood) for r in series], "o-", color="#2c7be5", label=t.gettext("mood")
    )
    mood_ax.set_ylim(1, 5)
    mood_ax.set_ylabel(t.gettext("mean mood (1–5)"))
    share_ax = mood_ax.twinx()
    share_ax.plot(xs, [_nan(v) for v in values], "s-", color="#00a86b", label=short)
    if lag:
        shifted = [_nan(share_by_week.get(w + timedelta(weeks=lag))) for w in weeks]
        later = t.ngettext(
            "%(outcome)s %(n)s wk later", "%(outcome)s %(n)s wks later", lag, outcome=short
        )
        share_ax.plot(xs, shifted, "--", color="#00a86b", alpha=0.6, label=later)
    share_ax.set_ylim(axis.low, axis.high)
    share_ax.set_ylabel(t.gettext(axis.label))
    mood_ax.set_xticks(xs, labels, fontsize=8)
    mood_ax.set_title(chart_title(scope, metric=metric, lag=lag, t=t), fontsize=9)
    handles = mood_ax.get_legend_handles_labels()
    extra = share_ax.get_legend_handles_labels()
    mood_ax.legend(handles[0] + extra[0], handles[1] + extra[1], fontsize=7, loc="lower left")
    # Fixed margins: tight_layout() measures every label and costs more than the drawing.
    fig.subplots_adjust(left=0.08, right=0.91, top=0.9, bottom=0.1)
    return fig


# Families tried after DejaVu Sans (matplotlib's own) for glyphs it lacks: Japanese labels.
# Debian's fonts-ipafont-gothic provides IPAGothic (scripts/install-system-deps, Dockerfile).
CJK_FONTS = ("IPAGothic", "IPAPGothic", "Noto Sans CJK JP")


def font_families() -> list[str]:
    """DejaVu Sans, then the installed CJK fonts (naming a missing one makes matplotlib warn);
    the lead's App Home chart (bot/home/chart.py) draws with them too."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *(name for name in CJK_FONTS if name in installed)]


def render_chart(
    series: Sequence[ChartWeek],
    *,
    scope: str,
    lag: int = 0,
    metric: str = "win_share",
    t: Translator = ENGLISH,
) -> bytes:
    """The chart (chart_figure) as a PNG."""
    return png(lambda: chart_figure(series, scope=scope, lag=lag, metric=metric, t=t))


def png(draw: Callable[[], Figure]) -> bytes:
    """The figure ``draw`` makes, as PNG bytes, with fonts that have every language's glyphs
    (the digest's chart and the lead's App Home chart)."""
    from matplotlib import rc_context

    # Text is laid out when drawn, so the fallback fonts must be in force while saving.
    with rc_context({"font.family": font_families()}):
        buffer = io.BytesIO()
        draw().savefig(buffer, format="png")
    return buffer.getvalue()
