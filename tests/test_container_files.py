"""The container files say what an operator needs: .env.example names every setting the app
reads, and compose.yaml wires the app to its PostgreSQL with volumes and health checks.

Building and running the image itself is scripts/image-smoke's job (podman, in CI)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The design's Environment table ("Interfaces that stay stable"); bot/config.py may read more.
DESIGN_SETTINGS = {
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_API_URL",
    "DATABASE_URL",
    "CXPULSE_SECRET",
    "CXPULSE_TEAM_GROUPS",
    "CXPULSE_LEADS",
    "CXPULSE_ADMINS",
    "CXPULSE_CELEBRATIONS_CHANNEL",
    "CXPULSE_DIGEST_CHANNELS",
    "CXPULSE_TIMEZONE",
    "CXPULSE_ANONYMITY_THRESHOLD",
    "CXPULSE_TOKEN_KEY",
    "CXPULSE_OUTCOMES_SECRET",
    "CXPULSE_HOLIDAYS",
    "PORT",
    "CXPULSE_LOG_FORMAT",
}
# A setting line, active or commented out: `NAME=value` or `# NAME=value`.
SETTING_LINE = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=(.*)$")


def settings_read_by_config() -> set[str]:
    """Every variable name bot/config.py mentions as a string (it is the only env reader)."""
    source = (ROOT / "bot" / "config.py").read_text()
    names = set(re.findall(r"[\"']((?:SLACK|CXPULSE|DATABASE)_[A-Z0-9_]+|PORT)[\"']", source))
    return {name for name in names if not name.startswith("DEFAULT")}


def env_example() -> dict[str, tuple[str, str]]:
    """Setting name -> (its value, the comment line right above it) in .env.example."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    found: dict[str, tuple[str, str]] = {}
    for i, line in enumerate(lines):
        match = SETTING_LINE.match(line)
        if match:
            above = lines[i - 1] if i else ""
            found[match.group(1)] = (match.group(2), above)
    return found


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def test_env_example_lists_every_setting_with_a_comment() -> None:
    listed = env_example()
    wanted = DESIGN_SETTINGS | settings_read_by_config()
    assert wanted - listed.keys() == set()
    for name in wanted:
        above = listed[name][1]
        assert above.startswith("# "), f"{name} has no one-line explanation above it"
        assert not SETTING_LINE.match(above), f"{name} has no one-line explanation above it"


def test_env_example_holds_no_secret_values() -> None:
    secrets = [n for n in env_example() if re.search(r"TOKEN|SECRET|KEY|PASSWORD", n)]
    assert "CXPULSE_SECRET" in secrets
    for name in secrets:
        value = env_example()[name][0]
        assert value == "", f"{name} has a value in .env.example: placeholders only"


def test_compose_runs_the_app_against_its_postgresql() -> None:
    services = compose()["services"]
    app, db = services["app"], services["db"]
    assert app["env_file"] == ".env"
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    url = app["environment"]["DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://cxpulse:")
    assert url.endswith("@db:5432/cxpulse")
    assert db["image"].startswith("postgres:")
    assert db["environment"]["POSTGRES_DB"] == "cxpulse"
    assert "healthz" in " ".join(app["healthcheck"]["test"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_compose_keeps_data_in_named_volumes() -> None:
    spec = compose()
    named = set(spec["volumes"])
    for service, mount_point in (("db", "/var/lib/postgresql/data"), ("app", "/data")):
        mounts = dict(v.split(":", 1) for v in spec["services"][service]["volumes"])
        sources = {source for source, target in mounts.items() if target == mount_point}
        assert sources, f"{service} mounts nothing at {mount_point}"
        assert sources <= named, f"{service}'s {mount_point} is not a named volume"


def test_compose_publishes_the_port_the_app_listens_on() -> None:
    # Inside, the app listens on PORT (3000 by default); outside, the same number.
    assert compose()["services"]["app"]["ports"] == ["${PORT:-3000}:${PORT:-3000}"]


def test_the_image_defaults_match_the_compose_and_docs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ARG BASE=python:3.11-slim-bookworm" in dockerfile
    assert "EXPOSE 3000" in dockerfile
    assert "DATABASE_URL=sqlite:////data/cxpulse.db" in dockerfile
    final_stage = dockerfile.rsplit("\nFROM ", 1)[1]
    assert re.search(r"^USER (?!root\b|0\b)\S+", final_stage, re.MULTILINE)
