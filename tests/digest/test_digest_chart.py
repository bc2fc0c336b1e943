"""The digest chart draws the outcome and lag the flow-on finding is about, on its scale."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from datetime import date, timedelta

from matplotlib.figure import Figure

from bot.core.i18n import translator
from bot.digest.chart import chart_alt_text, chart_figure, render_chart

FIRST = date(2026, 3, 2)


@dataclass(frozen=True)
class Week:
    week_start: date
    mean_mood: float | None
    win_share: float | None = None
    customer_csat: float | None = None


SERIES = [Week(FIRST + timedelta(weeks=i), 3.5 + 0.1 * i, 0.4, 3.9 + 0.1 * i) for i in range(4)]


def test_the_chart_names_the_findings_outcome_on_its_one_to_five_scale() -> None:
    alt = chart_alt_text(SERIES, scope="Everyone", lag=1, metric="customer_csat", threshold=5)
    assert alt.startswith(
        "Line chart of Everyone's mean mood (1–5) and the CSAT customers gave (1–5) by week"
    )
    assert "customer CSAT between 3.90 and 4.20, latest 4.20" in alt
    assert "a dashed line shifts customer CSAT back 1 week to match the finding" in alt
    assert "win share" not in alt
    # Weeks are named by their Monday, as on the lead's App Home, never as ISO labels.
    assert "by week, from the week of 2 March to the week of 23 March;" in alt
    assert "2026-W" not in alt


def test_withheld_weeks_are_listed_by_their_monday_with_the_threshold() -> None:
    series = [replace(w, mean_mood=None) if i in (1, 2) else w for i, w in enumerate(SERIES)]
    alt = chart_alt_text(series, scope="support", lag=0, threshold=5)
    assert (
        "withheld weeks: 9 March and 16 March (fewer than 5 people answered; "
        "shown as a gap, not a zero)"
    ) in alt
    french = chart_alt_text(series, scope="support", lag=0, threshold=5, t=translator("fr"))
    assert "semaines non affichées : 9 mars et 16 mars" in french, french
    assert "-W" not in alt + french


def test_without_a_finding_on_another_outcome_the_chart_shows_win_share() -> None:
    alt = chart_alt_text(SERIES, scope="support", lag=0, threshold=5)
    assert "and customer win share by week" in alt
    assert "win share between 40% and 40%" in alt


def test_the_chart_renders_the_findings_outcome_as_a_png() -> None:
    png = render_chart(SERIES, scope="Everyone", lag=1, metric="customer_csat")
    assert png.startswith(b"\x89PNG")
    assert png != render_chart(SERIES, scope="Everyone", lag=1)


def _drawn_texts(figure: Figure) -> list[str]:
    """The title, axis labels and legend entries a reader sees on the chart."""
    mood_ax, outcome_ax = figure.axes
    legend = mood_ax.get_legend()
    assert legend is not None
    return [
        mood_ax.get_title(),
        mood_ax.get_ylabel(),
        outcome_ax.get_ylabel(),
        *(entry.get_text() for entry in legend.get_texts()),
    ]


def test_the_chart_is_labelled_in_german() -> None:
    german = translator("de")
    drawn = _drawn_texts(
        chart_figure(SERIES, scope="Support", lag=1, metric="customer_csat", t=german)
    )
    english = _drawn_texts(chart_figure(SERIES, scope="Support", lag=1, metric="customer_csat"))
    assert drawn == [
        "Support: Stimmung und Kunden-CSAT pro Woche (das Ergebnis vergleicht die Stimmung "
        "mit Kunden-CSAT 1 Woche später)",
        "Stimmung im Schnitt (1–5)",
        "CSAT laut Kunden (1–5)",
        "Stimmung",
        "Kunden-CSAT",
        "Kunden-CSAT 1 Wo. später",
    ]
    assert not set(drawn) & set(english)


def _week_ticks(figure: Figure) -> list[str]:
    return [label.get_text() for label in figure.axes[0].get_xticklabels()]


def test_the_charts_weeks_are_named_by_their_monday_in_the_language() -> None:
    """The axis names each week by its Monday, as the lead's App Home chart does: "2 Mar"."""
    for language, ticks in (
        ("en", ["2 Mar", "9 Mar", "16 Mar", "23 Mar"]),
        ("de", ["2. März", "9. März", "16. März", "23. März"]),
        ("ja", ["3/2", "3/9", "3/16", "3/23"]),
    ):
        figure = chart_figure(SERIES, scope="Support", lag=1, t=translator(language))
        assert _week_ticks(figure) == ticks


def test_the_alt_text_is_german_with_german_numbers() -> None:
    alt = chart_alt_text(
        SERIES, scope="Support", lag=1, metric="customer_csat", threshold=5, t=translator("de")
    )
    assert alt.startswith(
        "Liniendiagramm für Support: Stimmung im Schnitt (1–5) und die von Kunden vergebene "
        "CSAT (1–5) pro Woche"
    )
    assert "Kunden-CSAT zwischen 3,90 und 4,20, zuletzt 4,20" in alt
    assert "Stimmung im Schnitt zwischen 3,5 und 3,8" in alt
    assert "von der Woche vom 2. März bis zur Woche vom 23. März" in alt


def test_japanese_labels_are_drawn_with_a_font_that_has_their_glyphs() -> None:
    # matplotlib warns "Glyph … missing from font(s)" when it would draw an empty box.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = render_chart(
            SERIES, scope="サポート", lag=1, metric="customer_csat", t=translator("ja")
        )
    assert png.startswith(b"\x89PNG")
