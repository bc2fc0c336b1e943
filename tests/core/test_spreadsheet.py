"""The one CSV writer: formula-like text cells stay text, data stays data."""

from __future__ import annotations

import csv
import io

from bot.core.spreadsheet import write_csv


def test_formula_like_text_is_kept_as_text_and_numbers_as_numbers() -> None:
    rows = [
        {"text": '=HYPERLINK("x")', "score": -2, "note": None},
        {"text": "+1", "score": 0.5, "note": "@boss\tthere"},
        {"text": "plain", "score": 3, "note": "-minus"},
    ]
    out = write_csv(rows, ["text", "score", "note"], lineterminator="\n")
    read = list(csv.DictReader(io.StringIO(out)))
    assert out.splitlines()[0] == "text,score,note"
    assert [r["text"] for r in read] == ['\'=HYPERLINK("x")', "'+1", "plain"]
    assert [r["score"] for r in read] == ["-2", "0.5", "3"]  # a negative number is data
    assert [r["note"] for r in read] == ["", "'@boss\tthere", "'-minus"]


def test_columns_not_asked_for_are_left_out() -> None:
    out = write_csv([{"a": "1", "secret": "x"}], ["a"], lineterminator="\n")
    assert out == "a\n1\n"
