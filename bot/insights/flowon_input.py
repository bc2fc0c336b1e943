"""Team-weeks read from a CSV in the `cxpulse export team-weeks` columns, for `flowon --input`.

Every export column must be there; columns appended later (customer_responses,
customer_csat, customer_nps, …) are read when the analysis knows them and otherwise
ignored. A bad file is refused as a whole, naming the line and the column.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.core.weeks import parse_iso_week
from bot.insights.flowon_adjust import WORKLOAD
from bot.insights.flowon_metrics import BY_NAME
from bot.insights.reports import BASE_TEAM_WEEK_COLUMNS

_WEEK = re.compile(r"\d{4}-W\d{2}")
# (lowest, highest) a value may take; integers where the export writes counts.
_RANGES: dict[str, tuple[float, float]] = {
    "respondents": (0, math.inf),
    "mean_mood": (1, 5),
    "participation": (0, 1),
    "moments": (0, math.inf),
    "win_share": (0, 1),
    "mean_csat": (1, 5),
    "mean_sentiment": (-1, 1),
    "customer_responses": (0, math.inf),
    # One scale everywhere (export, input, chart): mean CSAT on 1–5.
    "customer_csat": (1, 5),
    "customer_nps": (-100, 100),
    "tickets": (0, math.inf),
    "handle_time": (0, math.inf),
}
_COUNTS = ("respondents", "moments", "customer_responses", "tickets")


class InputError(ValueError):
    """The file cannot be read as team-weeks; the message names the line and column."""


@dataclass(frozen=True)
class CsvTeamWeek:
    """One team-week from the file; outcome columns are read by name (``getattr``)."""

    team: str
    week_start: date
    mean_mood: float | None
    outcomes: dict[str, float | None]

    def __getattr__(self, name: str) -> float | None:
        outcomes = self.__dict__.get("outcomes", {})
        if name in outcomes:
            return outcomes[name]  # type: ignore[no-any-return]
        raise AttributeError(name)


def read_team_weeks(path: Path) -> list[CsvTeamWeek]:
    """Every row of ``path``, or ``InputError`` for the first problem found."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return _parse(csv.DictReader(handle), str(path))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from None


def _parse(reader: csv.DictReader[str], name: str) -> list[CsvTeamWeek]:
    header = reader.fieldnames
    if not header:
        raise InputError(f"{name}, line 1: empty file; expected the columns {_expected()}")
    missing = [c for c in BASE_TEAM_WEEK_COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"{name}, line 1: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; expected the columns {_expected()}"
        )
    metrics = [c for c in header if c in BY_NAME or c in WORKLOAD]
    rows: list[CsvTeamWeek] = []
    seen: dict[tuple[str, date], int] = {}
    for record in reader:
        line = reader.line_num
        extra = record.get(None)
        short = any(v is None for v in record.values())
        if extra is not None or short:
            count = (
                len(header) + len(extra)
                if extra is not None
                else len(header) - sum(v is None for v in record.values())
            )
            raise InputError(f"{name}, line {line}: {count} fields, the header has {len(header)}")

        def where(column: str, at: int = line) -> str:
            return f"{name}, line {at}, column {column}"

        team = record["team"].strip()
        if not team:
            raise InputError(f"{where('team')}: empty; every row needs its team")
        week = _week(record["week"], where("week"))
        if (team, week) in seen:
            raise InputError(
                f"{where('week')}: {team!r} {record['week']} again (first on line "
                f"{seen[team, week]}); one row per team and week"
            )
        seen[team, week] = line
        values = {c: _number(record[c], c, where(c)) for c in (*_RANGES, *metrics) if c in record}
        rows.append(
            CsvTeamWeek(team, week, values.get("mean_mood"), {m: values.get(m) for m in metrics})
        )
    return rows


def _expected() -> str:
    return ", ".join(BASE_TEAM_WEEK_COLUMNS)


def _week(raw: str, where: str) -> date:
    text = raw.strip()
    if _WEEK.fullmatch(text):
        try:
            return parse_iso_week(text)
        except ValueError:
            pass
    raise InputError(f"{where}: {raw!r} is not an ISO week such as 2026-W11")


def _number(raw: str, column: str, where: str) -> float | None:
    text = raw.strip()
    if not text:
        return None
    parse: Callable[[str], float] = int if column in _COUNTS else float
    try:
        value = float(parse(text))
    except ValueError:
        kind = "a whole number" if column in _COUNTS else "a number"
        raise InputError(f"{where}: {raw!r} is not {kind}") from None
    low, high = _RANGES.get(column, (-math.inf, math.inf))
    if not (math.isfinite(value) and low <= value <= high):
        hint = (
            " (customer_csat is a mean on 1–5; a 0–1 share x is 1 + 4x on it)"
            if column == "customer_csat" and 0 <= value < 1
            else ""
        )
        raise InputError(f"{where}: {raw!r} is outside {low:g} to {high:g}{hint}")
    return value
