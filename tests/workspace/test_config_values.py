"""A bad stored admin value is ignored with a warning: the environment's default holds."""

from __future__ import annotations

import json
from datetime import time

import pytest
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.workspace.config import DEFAULT_PULSE_TIME, effective_config
from bot.workspace.store import ensure_workspace
from models import WorkspaceSetting


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("pulse_time", json.dumps("25:99")),
        ("pulse_time", "not json"),
        ("anonymity_threshold", json.dumps("seven")),
        ("working_days", json.dumps(["mon"])),
        ("leads", json.dumps("U1")),
        ("enps_enabled", json.dumps(3)),
    ],
)
def test_a_bad_stored_value_is_skipped(
    session: Session, caplog: pytest.LogCaptureFixture, key: str, raw: str
) -> None:
    settings = Settings(leads=("U0LEAD",))
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        session.add(WorkspaceSetting(workspace_id=ws.id, key=key, value=raw))
        if key != "pulse_time":
            session.add(WorkspaceSetting(workspace_id=ws.id, key="pulse_time", value='"08:30"'))
    config = effective_config(session, settings=settings, workspace=ws)
    default = effective_config(session, settings=settings)
    assert getattr(config, key) == getattr(default, key)
    assert key in caplog.text
    # Only the bad value is dropped: the workspace's other choices still hold.
    assert config.pulse_time == (DEFAULT_PULSE_TIME if key == "pulse_time" else time(8, 30))
