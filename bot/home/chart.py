"""The lead's App Home chart: its data (a team's last 12 closed weeks), the PNG and alt text.

Mood and participation of a withheld week (fewer people answered than the threshold)
are missing values, drawn as a gap in the line and a shaded "withheld" band: never a
zero, which would read as a collapse.
"""

from __future__ import annotations

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
from bot.core.i18n import ENGLISH, N_, Translator
from bot.core.weeks import iso_week_label
from bot.digest.chart import png, withheld_weeks
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


def chart_title(scope: str, weeks: int, t: Translator = ENGLISH) -> str:
    """The chart's title (drawn above it, and the upload's title): ``scope`` as shown."""
    return t.ngettext(
        "%(scope)s: the last %(n)s closed week",
        "%(scope)s: the last %(n)s closed weeks",
        weeks,
        scope=scope,
    )


# Legend labels (the alt text names the lines the same way).
MOOD = N_("mean mood (1–5)")
CSAT = N_("customer CSAT (1–5)")
PARTICIPATION = N_("participation")
WINS = N_("customer wins (share of moments)")


def lead_figure(
    weeks: Sequence[date],
    rows: dict[date, TeamWeek],
    *,
    scope: str,
    t: Translator = ENGLISH,
) -> PlotFigure:
    """The chart as a matplotlib Figure (withheld weeks are NaN: gaps in every pulse line),
    labelled in ``t``'s language; each week is named by its Monday ("6 Apr")."""
    xs = list(range(len(weeks)))
    picked = [_row(rows, w) for w in weeks]
    # Imported here: matplotlib costs a second at start-up, and only charts need it.
    from matplotlib.figure import Figure as PlotFigure

    fig = PlotFigure(figsize=(8, 4.0), dpi=100)
    left = fig.add_subplot()
    right = left.twinx()
    left.plot(xs, [_nan(r.mean_mood if r else None) for r in picked], "o-", color="#2c7be5")
    left.lines[-1].set_label(t.gettext(MOOD))
    left.plot(xs, [_nan(r.mean_csat if r else None) for r in picked], "d:", color="#8e44ad")
    left.lines[-1].set_label(t.gettext(CSAT))
    right.plot(
        xs, [_nan(r.participation if r else None, 100) for r in picked], "^-", color="#f39c12"
    )
    right.lines[-1].set_label(t.gettext(PARTICIPATION))
    right.plot(xs, [_nan(r.win_share if r else None, 100) for r in picked], "s--", color="#00a86b")
    right.lines[-1].set_label(t.gettext(WINS))
    withheld = t.gettext("withheld")
    for x, week in zip(xs, weeks, strict=True):
        if _withheld(rows, week):
            left.axvspan(x - 0.4, x + 0.4, color="#dddddd", alpha=0.6, linewidth=0)
            left.text(x, 1.1, withheld, rotation=90, fontsize=7, ha="center", color="#666666")
    left.set_ylim(1, 5)
    right.set_ylim(0, 100)
    left.set_ylabel("1–5")
    right.set_ylabel("%")
    left.set_xticks(xs, [t.short_day_of_month(w) for w in weeks], fontsize=8)
    left.set_title(chart_title(scope, len(weeks), t), fontsize=9)
    handles, labels = left.get_legend_handles_labels()
    more, more_labels = right.get_legend_handles_labels()
    # Below the plot, so no line is hidden behind it.
    fig.legend(handles + more, labels + more_labels, fontsize=7, loc="lower center", ncols=4)
    # Fixed margins: tight_layout() measures every label and costs more than the drawing.
    fig.subplots_adjust(left=0.07, right=0.92, top=0.92, bottom=0.17)
    return fig


def render_lead_chart(
    weeks: Sequence[date],
    rows: dict[date, TeamWeek],
    *,
    scope: str,
    t: Translator = ENGLISH,
) -> bytes:
    """The chart as PNG bytes, drawn with fonts that have the language's glyphs."""
    return png(lambda: lead_figure(weeks, rows, scope=scope, t=t))


def _span(name: str, values: list[float], shown: list[str], t: Translator) -> str:
    if len(values) == 1:
        return t.gettext("%(name)s %(value)s (one week only)", name=name, value=shown[-1])
    return t.gettext(
        "%(name)s between %(low)s and %(high)s, latest %(latest)s",
        name=name,
        low=shown[values.index(min(values))],
        high=shown[values.index(max(values))],
        latest=shown[-1],
    )


def chart_alt_text(
    weeks: Sequence[date],
    rows: dict[date, TeamWeek],
    *,
    scope: str,
    threshold: int,
    besides_you: bool = False,
    t: Translator = ENGLISH,
) -> str:
    """What the chart shows, in words, for screen readers (within Slack's 2000 characters),
    in ``t``'s language with its numbers and days."""
    parts = [
        t.ngettext(
            "Line chart of %(scope)s's last %(n)s closed week, "
            "from the week of %(first)s to the week of %(last)s",
            "Line chart of %(scope)s's last %(n)s closed weeks, "
            "from the week of %(first)s to the week of %(last)s",
            len(weeks),
            scope=scope,
            first=t.day_of_month(weeks[0]),
            last=t.day_of_month(weeks[-1]),
        )
    ]
    moods = [r.mean_mood for w in weeks if (r := rows.get(w)) and r.mean_mood is not None]
    shares = [r.participation for w in weeks if (r := rows.get(w)) and r.participation is not None]
    wins = [r.win_share for w in weeks if (r := rows.get(w)) and r.win_share is not None]
    csat = [r.mean_csat for w in weeks if (r := rows.get(w)) and r.mean_csat is not None]
    if moods:
        parts.append(_span(t.gettext(MOOD), moods, [t.number(m, decimals=1) for m in moods], t))
    if shares:
        parts.append(_span(t.gettext(PARTICIPATION), shares, [t.percent(s) for s in shares], t))
    if wins:
        parts.append(_span(t.gettext(WINS), wins, [t.percent(s) for s in wins], t))
    else:
        parts.append(t.gettext("no customer moments logged"))
    if csat:
        parts.append(_span(t.gettext(CSAT), csat, [t.number(c, decimals=1) for c in csat], t))
    withheld = [w for w in weeks if _withheld(rows, w)]
    if withheld:
        parts.append(withheld_weeks(withheld, threshold=threshold, besides_you=besides_you, t=t))
    text = t.gettext("%(parts)s.", parts="; ".join(parts))
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
