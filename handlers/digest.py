"""`/cx digest` (a lead's ephemeral preview) and the lead's App Home section."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from bot.core.disclosure import Audience, last_closed_month
from bot.core.features import HomeRequest
from bot.core.router import CommandCall
from bot.digest.store import compute_digest, digest_questions
from bot.digest.views import build_digest_blocks, digest_text
from bot.home.store import compute_lead_view
from bot.home.views import build_lead_home_blocks
from bot.pulse.anonymity import monthly_key
from bot.runtime import Runtime
from bot.workspace.config import effective_config
from bot.workspace.roles import is_lead
from bot.workspace.store import ensure_workspace, find_person
from models import Team

logger = logging.getLogger(__name__)

NOT_A_LEAD = (
    "Only leads can preview the digest. It is posted to the digest channel every week; "
    "ask an admin if you should be a lead."
)
WHOLE_WORKSPACE_WORDS = {"all", "everyone", "workspace"}


def _lead_team(session: Session, team_id: str, user_id: str) -> Team | None:
    person = find_person(session, slack_team_id=team_id, slack_user_id=user_id)
    return session.get(Team, person.team_id) if person and person.team_id else None


def _is_person(session: Session, team_id: str, user_id: str) -> bool:
    """True when the viewer answers pulses here: their own answer may be in what they see."""
    return find_person(session, slack_team_id=team_id, slack_user_id=user_id) is not None


def handle_digest_command(call: CommandCall) -> None:
    """Preview the lead's team digest (or the workspace's with `all`), only to them."""
    call.ack()
    runtime = call.runtime
    with runtime.sessions() as session:
        ws = ensure_workspace(session, slack_team_id=call.team_id)
        cfg = effective_config(session, settings=runtime.settings, workspace=ws)
        if not is_lead(call.client, call.team_id, cfg.leads, call.user_id):
            call.respond(response_type="ephemeral", text=NOT_A_LEAD)
            return
        team = None
        if call.args.strip().lower() not in WHOLE_WORKSPACE_WORDS:
            team = _lead_team(session, call.team_id, call.user_id)
        now = runtime.now()
        audience = Audience(
            cfg.anonymity_threshold,
            viewer_in_group=_is_person(session, call.team_id, call.user_id),
        )
        data = compute_digest(
            session,
            workspace_id=ws.id,
            week=now.date(),  # the gate shows the newest closed week
            team=team,
            audience=audience,
            now=now,
            min_team_weeks=cfg.min_team_weeks,
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


def lead_home_section(
    session: Session, runtime: Runtime, request: HomeRequest
) -> list[dict[str, Any]]:
    """The lead's team aggregates on App Home; nothing for anyone else."""
    ws = ensure_workspace(session, slack_team_id=request.team_id)
    cfg = effective_config(session, settings=runtime.settings, workspace=ws)
    client = runtime.clients.for_team(request.team_id)
    if not cfg.leads or not is_lead(client, request.team_id, cfg.leads, request.user_id):
        return []
    now = runtime.now()
    secret = runtime.settings.cxpulse_secret
    gap_month = last_closed_month(now)  # the gap shows the newest closed month
    view = compute_lead_view(
        session,
        workspace_id=ws.id,
        team=_lead_team(session, request.team_id, request.user_id),
        audience=Audience(
            cfg.anonymity_threshold,
            viewer_in_group=_is_person(session, request.team_id, request.user_id),
        ),
        now=now,
        min_team_weeks=cfg.min_team_weeks,
        own_key=monthly_key(secret, request.team_id, request.user_id, day=gap_month)
        if secret
        else None,
    )
    session.commit()
    return build_lead_home_blocks(view)
