"""What every bench script shares: one figure in the printed JSON shape, and its `--quick` flag."""

from __future__ import annotations

import argparse
import json
from typing import Any


def figure(
    name: str,
    value: float,
    unit: str,
    anchor: str,
    anchor_value: float,
    target: object,
    met: bool,
    digits: int = 3,
    ratio_digits: int = 2,
) -> dict[str, Any]:
    """One measured figure beside its anchor (the plain way of doing the same thing)."""
    return {
        "name": name,
        "value": round(value, digits),
        "unit": unit,
        "anchor": anchor,
        "anchor_value": round(anchor_value, digits),
        "ratio": round(value / anchor_value, ratio_digits) if anchor_value else None,
        "target": target,
        "met": met,
    }


def quick_parser(doc: str | None, quick: str) -> argparse.ArgumentParser:
    """A parser described by the script's first doc line, with `--quick` (``quick`` says what)."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick)
    return parser


def print_figures(*figures: object) -> None:
    """The figures on stdout, one JSON object a line (what the bench runner collects)."""
    for one in figures:
        print(json.dumps(one))
