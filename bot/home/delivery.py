"""App Home, Slack side: publishing each viewer's Home, and the lead's chart uploaded
privately (files_upload_v2) at most once per team, closed week and language.

The first Home that needs a chart in a language claims its ``lead_chart`` row; every other
lead of the team reading that language reuses the stored file id (a claim whose upload
never finished is taken over).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any, TypedDict

from slack_sdk import WebClient
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.core.context import threshold_for
from bot.core.features import HomeRequest, HomeSections
from bot.core.i18n import DEFAULT_LANGUAGE, ENGLISH, N_, Translator
from bot.core.posting import upload_once
from bot.core.weeks import iso_week_label
from bot.digest.views import scope_name as shown_scope
from bot.home.chart import (
    CHART_WEEKS,
    ChartRef,
    chart_alt_text,
    chart_data,
    chart_title,
    render_lead_chart,
)
from bot.home.views import build_home_unavailable_view, build_home_view
from bot.runtime import Runtime
from bot.workspace.store import translator_for
from models import LeadChart, Team
from models.upsert import dialect_insert

logger = logging.getLogger(__name__)

FAILED_NOTE = N_(
    "The chart could not be made just now; it is tried again the next time you open this tab."
)
PENDING_NOTE = N_("The chart is being drawn; open this tab again in a moment to see it.")


def withheld_note(threshold: int, *, besides_you: bool = False, t: Translator = ENGLISH) -> str:
    """Why a team whose every week was withheld has no chart."""
    if besides_you:
        return t.ngettext(
            "No chart: the last %(n)s closed week was withheld "
            "(fewer than %(threshold)s people besides a lead answered).",
            "No chart: every one of the last %(n)s closed weeks was withheld "
            "(fewer than %(threshold)s people besides a lead answered).",
            CHART_WEEKS,
            threshold=t.number(threshold),
        )
    return t.ngettext(
        "No chart: the last %(n)s closed week was withheld "
        "(fewer than %(threshold)s people answered).",
        "No chart: every one of the last %(n)s closed weeks was withheld "
        "(fewer than %(threshold)s people answered).",
        CHART_WEEKS,
        threshold=t.number(threshold),
    )


class ChartKey(TypedDict):
    """What tells one stored chart from another: a team (or everyone) and a language."""

    workspace_id: int
    team_key: int
    language: str


def chart_filename(team_key: int, last_week: date, language: str) -> str:
    """The upload's name, unique per team, week and language (it is looked for by it).

    English keeps the name charts had before they were drawn per language, so an English
    chart uploaded then is still found rather than uploaded again.
    """
    label = iso_week_label(last_week)  # an identifier here, not shown to anyone
    suffix = "" if language == DEFAULT_LANGUAGE else f"-{language}"
    return f"cxpulse-team-{team_key}-{label}{suffix}.png"


def lead_chart_ref(
    runtime: Runtime,
    client: WebClient,
    *,
    workspace_id: int,
    team: Team | None,
    threshold: int,
    now: datetime,
    t: Translator = ENGLISH,
) -> ChartRef:
    """The chart for ``team``'s last closed weeks in ``t``'s language: the stored file, or a
    new upload. One upload per team, closed week and language, shared by every lead of the
    team who reads that language (its drawn labels, title and alt text are in it)."""
    with runtime.sessions() as session:
        data = chart_data(
            session, workspace_id=workspace_id, team=team, threshold=threshold, now=now
        )
    if not data.anything_shown:
        note = withheld_note(data.threshold, besides_you=data.besides_you, t=t)
        return ChartRef(None, "", note)
    scope = shown_scope(data.scope, t)
    alt = chart_alt_text(
        data.weeks,
        data.rows,
        scope=scope,
        threshold=data.threshold,
        besides_you=data.besides_you,
        t=t,
    )
    keys: ChartKey = {
        "workspace_id": workspace_id,
        "team_key": data.team_key,
        "language": t.language,
    }
    with runtime.transaction() as session:
        found = current_file(session, last_week=data.last_week, **keys)
        if found is not None:
            return ChartRef(found.file_id, found.alt_text)
        won = claim_chart(session, last_week=data.last_week, alt_text=alt, now=now, **keys)
    if not won:
        return ChartRef(None, "", t.gettext(PENDING_NOTE))
    try:
        # Looked for first: an earlier upload whose answer was lost (its claim given back,
        # or taken over after a crash) may be complete in Slack.
        file_id = upload_once(
            client,
            channel=None,
            filename=chart_filename(data.team_key, data.last_week, t.language),
            look_first=True,
            file=render_lead_chart(data.weeks, data.rows, scope=scope, t=t),
            title=chart_title(scope, len(data.weeks), t),
            alt_txt=alt,
        )
        if file_id is None:
            raise LookupError("Slack answered the upload without a file id")
    except Exception:
        logger.exception("the App Home chart for team key %s was not uploaded", data.team_key)
        with runtime.transaction() as session:
            release_chart(session, **keys)
        return ChartRef(None, "", t.gettext(FAILED_NOTE))
    with runtime.transaction() as session:
        record_chart(session, file_id=file_id, **keys)
    return ChartRef(file_id, alt)


def publish_home(
    client: WebClient, runtime: Runtime, sections: HomeSections, request: HomeRequest
) -> None:
    """Build and publish ``request.user_id``'s App Home (a polite note if it cannot be built)."""
    t = ENGLISH  # until the person's language is read (the apology needs one too)
    try:
        blocks: list[dict[str, Any]] = []
        with runtime.sessions() as session:
            t = translator_for(
                session, slack_team_id=request.team_id, slack_user_id=request.user_id
            )
            for section in sections:
                blocks.extend(section(session, runtime, request))
            threshold = threshold_for(session, runtime, request.team_id)
        view = build_home_view(blocks, threshold=threshold, t=t)
    except Exception:
        logger.exception("App Home for %s could not be built", request.user_id)
        view = build_home_unavailable_view(t)
    client.views_publish(user_id=request.user_id, view=view)


def refresh_home(
    client: WebClient, runtime: Runtime, sections: HomeSections, request: HomeRequest
) -> None:
    """Re-publish the Home soon, off the request thread; repeated asks for one person merge."""
    runtime.background.submit(
        ("home", request.team_id, request.user_id),
        lambda: publish_home(client, runtime, sections, request),
    )


# A claim whose upload never finished (a crash) is taken over after this long.
CLAIM_STALE_AFTER = timedelta(minutes=5)


PENDING = ""  # file_id of a claimed chart whose upload has not finished


def stored_chart(
    session: Session, *, workspace_id: int, team_key: int, language: str
) -> LeadChart | None:
    """The team's chart row in ``language``, if any (``file_id`` is empty while an upload is
    under way)."""
    return session.get(LeadChart, (workspace_id, team_key, language))


def claim_chart(
    session: Session,
    *,
    workspace_id: int,
    team_key: int,
    language: str,
    last_week: date,
    alt_text: str,
    now: datetime,
) -> bool:
    """Claim drawing the chart for ``last_week`` in ``language``; True only for the one caller
    that won."""
    row = stored_chart(session, workspace_id=workspace_id, team_key=team_key, language=language)
    values = {"last_week": last_week, "file_id": PENDING, "alt_text": alt_text, "created_at": now}
    if row is None:
        stmt = (
            dialect_insert(session, LeadChart.__table__)
            .values(workspace_id=workspace_id, team_key=team_key, language=language, **values)
            .on_conflict_do_nothing(index_elements=["workspace_id", "team_key", "language"])
            .returning(LeadChart.team_key)
        )
        return session.execute(stmt).first() is not None
    stale = row.file_id == PENDING and row.created_at <= now - CLAIM_STALE_AFTER
    if row.last_week >= last_week and not stale:
        return False
    # Conditional on the row as read: a caller that claimed it meanwhile changed it.
    won = session.execute(
        update(LeadChart)
        .where(
            LeadChart.workspace_id == workspace_id,
            LeadChart.team_key == team_key,
            LeadChart.language == language,
            LeadChart.last_week == row.last_week,
            LeadChart.file_id == row.file_id,
            LeadChart.created_at == row.created_at,
        )
        .values(**values)
        .returning(LeadChart.team_key)
        .execution_options(synchronize_session=False)
    ).first()
    return won is not None


def record_chart(
    session: Session, *, workspace_id: int, team_key: int, language: str, file_id: str
) -> None:
    """The claimed chart is uploaded: remember its file id."""
    session.execute(
        update(LeadChart)
        .where(
            LeadChart.workspace_id == workspace_id,
            LeadChart.team_key == team_key,
            LeadChart.language == language,
        )
        .values(file_id=file_id)
        .execution_options(synchronize_session=False)
    )


def release_chart(session: Session, *, workspace_id: int, team_key: int, language: str) -> None:
    """The upload failed: forget the claim so the next Home tries again."""
    session.execute(
        delete(LeadChart).where(
            LeadChart.workspace_id == workspace_id,
            LeadChart.team_key == team_key,
            LeadChart.language == language,
            LeadChart.file_id == PENDING,
        )
    )


def current_file(
    session: Session, *, workspace_id: int, team_key: int, language: str, last_week: date
) -> LeadChart | None:
    """The uploaded chart for ``last_week`` in ``language``, if there is one."""
    row = session.scalar(
        select(LeadChart).where(
            LeadChart.workspace_id == workspace_id,
            LeadChart.team_key == team_key,
            LeadChart.language == language,
            LeadChart.last_week == last_week,
            LeadChart.file_id != PENDING,
        )
    )
    return row
