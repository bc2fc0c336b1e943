"""app.yaml as Slack reads it: Slack's published manifest schema, no duplicate keys, escaping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = Path(__file__).resolve().parent / "slack_manifest_schema"


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping repeats a key (PyYAML's own loaders silently keep the last)."""


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, as Slack's manifest editor does."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        assert isinstance(node, yaml.MappingNode)
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise DuplicateKeyError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_strict(text: str) -> dict[str, Any]:
    loaded = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - SafeLoader subclass
    assert isinstance(loaded, dict)
    return loaded


def test_the_strict_loader_refuses_duplicate_keys() -> None:
    with pytest.raises(DuplicateKeyError, match="usage_hint"):
        load_strict("a:\n  usage_hint: one\n  usage_hint: two\n")


def test_app_yaml_has_no_duplicate_keys() -> None:
    load_strict((ROOT / "app.yaml").read_text())


@pytest.mark.parametrize("version", ["1.0.0", "2.0.0"])
def test_app_yaml_is_valid_under_slacks_published_schema(version: str) -> None:
    schema = json.loads((SCHEMAS / f"manifest.schema.{version}.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    errors = [
        f"{error.json_path}: {error.message}"
        for error in validator.iter_errors(load_strict((ROOT / "app.yaml").read_text()))
    ]
    assert errors == []


@pytest.mark.parametrize("version", ["1.0.0", "2.0.0"])
def test_the_schema_catches_a_broken_manifest(version: str) -> None:
    """The shipped schema really checks: a misspelt setting and a bad scope type fail."""
    schema = json.loads((SCHEMAS / f"manifest.schema.{version}.json").read_text())
    manifest = load_strict((ROOT / "app.yaml").read_text())
    manifest["settings"]["socket_mode_enable"] = True
    manifest["features"]["slash_commands"][0]["should_escape"] = "yes"
    paths = {e.json_path for e in jsonschema.Draft7Validator(schema).iter_errors(manifest)}
    assert "$.settings" in paths
    assert "$.features.slash_commands[0].should_escape" in paths


def test_cx_asks_slack_to_escape_mentions() -> None:
    """With escaping on, Slack sends `@alex` as `<@U123|alex>`, which names one person."""
    commands = load_strict((ROOT / "app.yaml").read_text())["features"]["slash_commands"]
    assert [c.get("should_escape") for c in commands if c["command"] == "/cx"] == [True]


def test_the_schema_ships_with_its_licence() -> None:
    assert "MIT License" in (SCHEMAS / "LICENSE").read_text()
    assert "slackapi/manifest-schema" in (SCHEMAS / "SOURCE").read_text()
