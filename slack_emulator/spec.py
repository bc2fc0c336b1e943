"""The shipped subset of Slack's Web API spec, and the required-argument check."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SUBSET_FILE = "slack_web_api_subset.json"


@cache
def load_subset() -> dict[str, dict[str, Any]]:
    """Return the per-method entries of the shipped subset."""
    text = resources.files("slack_emulator").joinpath(SUBSET_FILE).read_text(encoding="utf-8")
    methods: dict[str, dict[str, Any]] = json.loads(text)["methods"]
    return methods


def missing_required(method: str, args: dict[str, Any]) -> list[str]:
    """Return Slack's `[ERROR] missing required field` messages for absent arguments."""
    entry = load_subset().get(method, {})
    return [
        f"[ERROR] missing required field: {name}"
        for name in entry.get("required", [])
        if args.get(name) in (None, "")
    ]
