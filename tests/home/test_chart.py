"""The lead's chart: a withheld week is a gap (NaN), never a zero; the alt text says so."""

from __future__ import annotations

import math
import warnings
from datetime import date, timedelta

from matplotlib.figure import Figure

from bot.core.i18n import translator
from bot.home.chart import ALT_TEXT_LIMIT, chart_alt_text, lead_figure, render_lead_chart
from bot.insights.teamweeks import TeamWeek
from tests.support.team_weeks import mood_week

FIRST = date(2026, 1, 19)
WEEKS = [FIRST + timedelta(weeks=k) for k in range(12)]


def test_a_withheld_week_is_a_gap_in_mood_and_participation_not_a_zero() -> None:
    rows = {w: mood_week(w, None if k == 5 else 3.5 + (k % 3) / 10) for k, w in enumerate(WEEKS)}
    figure = lead_figure(WEEKS, rows, scope="support")
    mood_axis, share_axis = figure.axes
    mood = mood_axis.lines[0].get_ydata()
    participation = share_axis.lines[0].get_ydata()
    assert math.isnan(mood[5])
    assert math.isnan(participation[5])
    assert all(not math.isnan(v) and v > 0 for i, v in enumerate(mood) if i != 5)
    assert participation[4] == 75.0
    # Customer outcomes are not pulse answers: the withheld week still has them.
    assert share_axis.lines[1].get_ydata()[5] == 50.0
    assert render_lead_chart(WEEKS, rows, scope="support").startswith(b"\x89PNG")


def test_alt_text_names_the_weeks_the_figures_and_each_gap() -> None:
    rows = {w: mood_week(w, 4.0) for w in WEEKS}
    rows.pop(WEEKS[2])  # nobody answered at all that week
    rows[WEEKS[7]] = mood_week(WEEKS[7], None)
    alt = chart_alt_text(WEEKS, rows, scope="support", threshold=5)
    assert alt.startswith(
        "Line chart of support's last 12 closed weeks, "
        "from the week of 19 January to the week of 6 April"
    )
    assert "mean mood (1–5) between 4.0 and 4.0, latest 4.0" in alt
    assert "participation between 75% and 75%" in alt
    assert "withheld weeks: 2 February and 9 March (fewer than 5 people answered" in alt
    assert "gap, not a zero" in alt
    long = chart_alt_text(WEEKS, rows, scope="x" * 3000, threshold=5)
    assert len(long) <= ALT_TEXT_LIMIT


def _drawn(figure: Figure) -> list[str]:
    """Every text drawn on the chart: title, tick labels, "withheld" marks, legend."""
    mood_axis, _ = figure.axes
    (legend,) = figure.legends
    return [
        mood_axis.get_title(),
        *(label.get_text() for label in mood_axis.get_xticklabels()),
        *(text.get_text() for text in mood_axis.texts),
        *(entry.get_text() for entry in legend.get_texts()),
    ]


def _with_a_gap() -> dict[date, TeamWeek]:
    rows = {w: mood_week(w, 4.0) for w in WEEKS}
    rows[WEEKS[7]] = mood_week(WEEKS[7], None)
    return rows


def test_the_chart_is_drawn_in_german() -> None:
    rows = _with_a_gap()
    drawn = _drawn(lead_figure(WEEKS, rows, scope="Support", t=translator("de")))
    english = _drawn(lead_figure(WEEKS, rows, scope="Support"))
    assert drawn[0] == "Support: die letzten 12 abgeschlossenen Wochen"
    assert drawn[1:3] == ["19. Jan.", "26. Jan."]  # each week named by its Monday
    assert drawn[-5:] == [
        "nicht angezeigt",
        "Stimmung im Schnitt (1–5)",
        "Kunden-CSAT (1–5)",
        "Beteiligung",
        "Kundenerfolge (Anteil der Momente)",
    ]
    assert english[0] == "Support: the last 12 closed weeks"
    assert english[1] == "19 Jan"
    # Nothing drawn is left in English but the team's own name.
    assert set(drawn) & set(english) == set()


def test_the_alt_text_is_french_with_french_numbers_days_and_lists() -> None:
    rows = {w: mood_week(w, 4.0) for w in WEEKS}
    rows.pop(WEEKS[2])
    rows[WEEKS[7]] = mood_week(WEEKS[7], None)
    alt = chart_alt_text(
        WEEKS, rows, scope="support", threshold=5, besides_you=True, t=translator("fr")
    )
    assert alt.startswith(
        "Graphique en courbes des 12 dernières semaines closes de support, "
        "de la semaine du 19 janvier à celle du 6 avril"
    )
    assert "humeur moyenne (1–5) entre 4,0 et 4,0, dernière valeur 4,0" in alt
    assert "participation entre 75\u00a0% et 75\u00a0%" in alt
    assert (
        "semaines non affichées : 2 février et 9 mars "
        "(moins de 5 personnes en plus d'un responsable ont répondu" in alt
    )
    assert "2026-W" not in alt


def test_japanese_chart_labels_are_drawn_with_a_font_that_has_their_glyphs() -> None:
    # matplotlib warns "Glyph … missing from font(s)" when it would draw an empty box.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = render_lead_chart(WEEKS, _with_a_gap(), scope="サポート", t=translator("ja"))
    assert png.startswith(b"\x89PNG")
    drawn = _drawn(lead_figure(WEEKS, _with_a_gap(), scope="サポート", t=translator("ja")))
    assert drawn[0] == "サポート: 確定した直近12週間"
    assert drawn[1] == "1/19"
