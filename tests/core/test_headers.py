"""Header blocks are plain_text: Slack shows them as typed, so they are never HTML-escaped."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.core.disclosure import Audience
from bot.customers.store import TimelinePage
from bot.customers.views import build_timeline_blocks
from bot.digest.store import compute_digest
from bot.digest.views import build_digest_blocks
from bot.home.store import compute_lead_view
from bot.home.views import build_lead_home_blocks
from bot.workspace.store import ensure_team
from tests.support import flowon_data as fd

NAME = "R&D <core> \"ops\" 'n' more"
WEEK = date(2026, 3, 9)


def headers(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "header"]


def test_digest_and_lead_home_headers_show_the_team_name_as_typed(session: Session) -> None:
    ws = fd.workspace(session)
    team = ensure_team(session, workspace=ws, name=NAME)
    now = datetime(2026, 3, 19, 9, tzinfo=UTC)  # WEEK has closed
    common = {"workspace_id": ws.id, "team": team, "audience": Audience(5), "now": now}
    data = compute_digest(session, week=WEEK, min_team_weeks=8, **common)
    [digest] = headers(build_digest_blocks(data))
    assert digest == f"CX Pulse weekly: {NAME}, week of 9 March"
    view = compute_lead_view(session, min_team_weeks=8, own_key=None, **common)
    assert headers(build_lead_home_blocks(view)) == [f"Your team: {NAME}"]


def timeline_headers(customer_name: str) -> list[str]:
    """The headers of an empty timeline page for a customer called ``customer_name``."""
    page = TimelinePage(
        customer_id=1,
        customer_name=customer_name,
        entries=[],
        offset=0,
        total=0,
        outcomes={"win": 0, "neutral": 0, "problem": 0},
        mean_csat=None,
        would_tell=0,
    )
    return headers(build_timeline_blocks(page))


def test_the_customer_timeline_header_shows_the_name_as_typed() -> None:
    assert timeline_headers("Smith & Sons <EU>") == ["Smith & Sons <EU>"]


def test_a_plain_text_header_never_carries_live_markup() -> None:
    [header] = timeline_headers("<!channel> & <@U1> @here")
    assert header.replace("\u2060", "") == "<!channel> & <@U1> @here"  # reads as typed
    assert "<!channel>" not in header
    assert "<@U1>" not in header
    assert "@here" not in header
