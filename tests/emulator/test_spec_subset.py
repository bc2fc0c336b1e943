"""The shipped spec subset agrees with Slack's published spec and with the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from slack_emulator.methods import HANDLERS
from slack_emulator.spec import load_subset

REPO_ROOT = Path(__file__).resolve().parents[2]
FULL_SPEC = REPO_ROOT / ".." / "shared" / "slack" / "slack_web_openapi_v2.json"


@pytest.fixture(scope="module")
def full_spec() -> dict[str, Any]:
    """Slack's full OpenAPI spec, when the shared checkout has it."""
    if not FULL_SPEC.exists():
        pytest.skip(f"full Slack spec not found at {FULL_SPEC} (only the shipped subset is)")
    spec: dict[str, Any] = json.loads(FULL_SPEC.read_text(encoding="utf-8"))
    return spec


def test_subset_lists_exactly_the_emulated_methods() -> None:
    assert set(load_subset()) == set(HANDLERS)


def test_licence_ships_with_the_subset() -> None:
    licence = REPO_ROOT / "slack_emulator" / "LICENSE.slack-api-specs"
    assert "MIT License" in licence.read_text(encoding="utf-8")


def test_spec_entries_match_the_full_spec(full_spec: dict[str, Any]) -> None:
    for method, entry in load_subset().items():
        if entry["source"] == "manual":
            continue
        verb, operation = next(iter(full_spec["paths"][f"/{method}"].items()))
        params = [p for p in operation.get("parameters", []) if p["name"] != "token"]
        assert entry["http_method"] == verb.upper(), method
        assert entry["required"] == sorted(p["name"] for p in params if p.get("required")), method
        assert entry["params"] == sorted(p["name"] for p in params), method


def test_manual_entries_are_really_missing_from_the_spec(full_spec: dict[str, Any]) -> None:
    manual = [m for m, entry in load_subset().items() if entry["source"] == "manual"]
    assert manual == [
        "apps.connections.open",
        "files.completeUploadExternal",
        "files.getUploadURLExternal",
    ]
    for method in manual:
        assert f"/{method}" not in full_spec["paths"], f"{method} is now in the spec: regenerate"


def test_token_is_never_a_required_argument() -> None:
    assert all("token" not in e["required"] for e in load_subset().values())
