"""ISO weeks: the unit every aggregate is reported in."""

from __future__ import annotations

from datetime import date, timedelta


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def iso_week_label(day: date) -> str:
    """``day``'s ISO week as Slack users and the export see it, e.g. ``2026-W11``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(label: str) -> date:
    """The Monday of an ISO week label such as ``2026-W11``."""
    year, _, week = label.partition("-W")
    return date.fromisocalendar(int(year), int(week), 1)
