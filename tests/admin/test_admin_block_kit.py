"""`/cx admin` keeps to Slack's Block Kit limits in every language, at its fullest: every
user group, lead, digest row and value, the test pulse row and the help-desk section, the
saved window, the webhook secret and its refusals, and every inline error with the longest
wrong entries it quotes (the companion of tests/core/test_block_kit_languages.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bot.admin.digest_channels import DigestForm, validate_digest_form
from bot.admin.digest_modal import build_digest_channel_view
from bot.admin.store import REFUSAL, AdminForm, validate_admin_form
from bot.admin.views import DigestRow, UserGroup, build_admin_saved_view, build_admin_view
from bot.core.i18n import SUPPORTED, Translator, translator
from bot.outcomes.views import NO_KEY, admin_outcome_blocks, refusal_view, secret_view
from bot.pulse.views import admin_test_pulse_blocks
from bot.workspace.config import WorkspaceConfig
from models import Base, Workspace
from tests.support.blockkit_check import failing_views

BIG = 10**6
MAX_ID = 2**31 - 1
LONG_TZ = "America/Argentina/ComodRivadavia"


def _admin_window(t: Translator) -> dict[str, Any]:
    config = WorkspaceConfig(
        celebrations_channel="#" + "c" * 79,
        digest_channels=(),
        admins=(),
        leads=tuple(f"U{n:010d}" for n in range(100)),
        team_groups=tuple(f"S{n:08d}" for n in range(100)),
        timezone=LONG_TZ,
        anonymity_threshold=BIG,
        company_values=tuple(f"value{n}" for n in range(20)),
        language=t.language,
    )
    groups = [UserGroup(f"S{n:08d}", "h" * 80, "é" * 200) for n in range(150)]
    digests = [DigestRow(n, "C" * 80, "t" * 200, 6, "23:59", LONG_TZ, "pt_BR") for n in range(20)]
    view = build_admin_view(config, groups=groups, digests=digests, digests_managed=True, t=t)
    view["blocks"][0:0] = admin_test_pulse_blocks(t)
    view["blocks"].extend(admin_outcome_blocks(made_at=datetime(2026, 12, 30, tzinfo=UTC), t=t))
    return view


def _views(t: Translator) -> dict[str, dict[str, Any]]:
    return {
        "admin": _admin_window(t),
        "admin saved": build_admin_saved_view(t),
        "add digest channel": build_digest_channel_view(
            teams=[(MAX_ID, "t" * 200)] * 150,
            timezone=LONG_TZ,
            parent_view_id="V" * 20,
            language=t.language,
            t=t,
        ),
        "webhook secret": secret_view("s" * 64, slack_team_id="T" * 20, t=t),
        "webhook refused": refusal_view(REFUSAL, t),
        "webhook without key": refusal_view(NO_KEY, t),
    }


def _errors(t: Translator) -> list[str]:
    wrong = "x/" * 500
    admin = AdminForm(
        pulse_time="25:00",
        working_days=[],
        anonymity_threshold="many",
        company_values=f"{wrong} {wrong} {wrong}",
        holidays=f"{wrong}, {wrong}, {wrong}",
        language="tlh",
        team_groups=[f"S{n}" for n in range(100)],
    )
    _, errors = validate_admin_form(admin, t)
    many = AdminForm(company_values=" ".join(f"v{n}" for n in range(99)))
    _, more = validate_admin_form(many, t)
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        form = DigestForm(
            channel=None, team="1", weekday="9", local_time="x", timezone="Nowhere", language="x"
        )
        _, digest = validate_digest_form(session, workspace=Workspace(id=1), form=form, t=t)
    found = [*errors.values(), *more.values(), *digest.values(), t.gettext(REFUSAL)[:150]]
    assert len(found) == 18, found  # every field at fault, each once, and the refusal
    return found


@pytest.mark.parametrize("language", SUPPORTED)
def test_admin_views_pass_slacks_checks(language: str) -> None:
    assert failing_views(_views(translator(language))) == {}


@pytest.mark.parametrize("language", SUPPORTED)
def test_admin_inline_errors_fit_slacks_error_limit(language: str) -> None:
    """Slack shows at most 150 characters under a field."""
    errors = _errors(translator(language))
    assert all(0 < len(e) <= 150 for e in errors), errors
