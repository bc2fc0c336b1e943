"""The lead's chart, Slack side: upload it privately (files_upload_v2) once per team and week."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient

from bot.core.posting import upload_once
from bot.core.weeks import iso_week_label
from bot.home.chart import chart_alt_text, render_lead_chart
from bot.home.lead_chart import (
    CHART_WEEKS,
    chart_data,
    claim_chart,
    current_file,
    record_chart,
    release_chart,
)
from bot.runtime import Runtime
from models import Team

logger = logging.getLogger(__name__)

FAILED_NOTE = (
    "The chart could not be made just now; it is tried again the next time you open this tab."
)
PENDING_NOTE = "The chart is being drawn; open this tab again in a moment to see it."


@dataclass(frozen=True)
class ChartRef:
    """An uploaded chart to show (``file_id``), or a note saying why there is none."""

    file_id: str | None
    alt_text: str
    note: str | None = None


def withheld_note(threshold: int, *, besides_you: bool = False) -> str:
    """Why a team whose every week was withheld has no chart."""
    besides = "besides a lead " if besides_you else ""
    return (
        f"No chart: every one of the last {CHART_WEEKS} closed weeks was withheld "
        f"(fewer than {threshold} people {besides}answered)."
    )


def lead_chart_ref(
    runtime: Runtime,
    client: WebClient,
    *,
    workspace_id: int,
    team: Team | None,
    threshold: int,
    now: datetime,
) -> ChartRef:
    """The chart for ``team``'s last closed weeks: the stored file, or a new upload."""
    with runtime.sessions() as session:
        data = chart_data(
            session, workspace_id=workspace_id, team=team, threshold=threshold, now=now
        )
    if not data.anything_shown:
        return ChartRef(None, "", withheld_note(data.threshold, besides_you=data.besides_you))
    alt = chart_alt_text(
        data.weeks,
        data.rows,
        scope=data.scope,
        threshold=data.threshold,
        besides_you=data.besides_you,
    )
    keys = {"workspace_id": workspace_id, "team_key": data.team_key}
    with runtime.transaction() as session:
        found = current_file(session, last_week=data.last_week, **keys)
        if found is not None:
            return ChartRef(found.file_id, found.alt_text)
        won = claim_chart(session, last_week=data.last_week, alt_text=alt, now=now, **keys)
    if not won:
        return ChartRef(None, "", PENDING_NOTE)
    try:
        label = iso_week_label(data.last_week)
        # Looked for first: an earlier upload whose answer was lost (its claim given back,
        # or taken over after a crash) may be complete in Slack.
        file_id = upload_once(
            client,
            channel=None,
            filename=f"cxpulse-team-{data.team_key}-{label}.png",
            look_first=True,
            file=render_lead_chart(data.weeks, data.rows, scope=data.scope),
            title=f"{data.scope}: the last {CHART_WEEKS} closed weeks",
            alt_txt=alt,
        )
        if file_id is None:
            raise LookupError("Slack answered the upload without a file id")
    except Exception:
        logger.exception("the App Home chart for team key %s was not uploaded", data.team_key)
        with runtime.transaction() as session:
            release_chart(session, **keys)
        return ChartRef(None, "", FAILED_NOTE)
    with runtime.transaction() as session:
        record_chart(session, file_id=file_id, **keys)
    return ChartRef(file_id, alt)
