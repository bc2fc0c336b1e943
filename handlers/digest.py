"""`/cx digest` (a lead's ephemeral preview) and the lead's App Home section."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from bot.core.context import RequestContext, leads_section
from bot.core.disclosure import Audience, last_closed_month
from bot.core.i18n import N_
from bot.core.router import CommandCall
from bot.digest.store import compute_digest, digest_questions
from bot.digest.views import build_digest_blocks, digest_text
from bot.home.store import compute_lead_view
from bot.home.views import build_lead_home_blocks
from bot.pulse.anonymity import monthly_key

logger = logging.getLogger(__name__)

NOT_A_LEAD = N_(
    "Only leads can preview the digest. It is posted to the digest channel every week; "
    "ask an admin if you should be a lead."
)
WHOLE_WORKSPACE_WORDS = {"all", "everyone", "workspace"}


def _audience(cx: RequestContext) -> Audience:
    """The lead as viewer: their own answer may be in what they see when they answer pulses."""
    return Audience(cx.config.anonymity_threshold, viewer_in_group=cx.person is not None)


def handle_digest_command(call: CommandCall) -> None:
    """Preview the lead's team digest (or the workspace's with `all`), only to them (leads
    only)."""
    call.ack()
    cx, runtime = call.cx, call.runtime
    with runtime.sessions() as session:
        ws = cx.workspace(session)
        team = None
        if call.args.strip().lower() not in WHOLE_WORKSPACE_WORDS:
            team = cx.team(session)
        now = runtime.now()
        audience = _audience(cx)
        data = compute_digest(
            session,
            workspace_id=ws.id,
            week=now.date(),  # the gate shows the newest closed week
            team=team,
            audience=audience,
            now=now,
            min_team_weeks=cx.config.min_team_weeks,
        )
        questions = digest_questions(
            session,
            workspace_id=ws.id,
            team_id=team.id if team else None,
            week=data.week_start,
            audience=audience,
            now=now,
        )
        session.commit()
    call.respond(
        response_type="ephemeral",
        text=digest_text(data),
        blocks=build_digest_blocks(data, preview=True, questions=questions),
    )


@leads_section
def lead_home_section(session: Session, cx: RequestContext) -> list[dict[str, Any]]:
    """The lead's team aggregates on App Home, in the lead's language; nothing for anyone
    else."""
    runtime = cx.runtime
    now = runtime.now()
    secret = runtime.settings.cxpulse_secret
    gap_month = last_closed_month(now)  # the gap shows the newest closed month
    view = compute_lead_view(
        session,
        workspace_id=cx.workspace(session).id,
        team=cx.team(session),
        audience=_audience(cx),
        now=now,
        min_team_weeks=cx.config.min_team_weeks,
        own_key=monthly_key(secret, cx.team_id, cx.user_id, day=gap_month) if secret else None,
    )
    session.commit()
    return build_lead_home_blocks(view, cx.translator)
