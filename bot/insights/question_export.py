"""`cxpulse export questions`: eNPS and second-question results per team and closed period.

The same figures the digests and App Home show (``question_results``): closed periods,
groups at or above the threshold, no figure that subtracts to a withheld group.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.core.disclosure import Audience, Figure, SurfaceAsk, question_figures, surface
from bot.core.spreadsheet import write_csv
from bot.insights.questions import MONTH, WEEK, QuestionResult, question_results
from bot.insights.reports import pick_workspace
from bot.workspace.config import effective_config

# Documented in the README; new columns are only ever appended.
QUESTION_COLUMNS = (
    "team",
    "period_kind",
    "period",
    "question",
    "question_text",
    "unit",
    "respondents",
    "value",
    "previous_value",
    "change",
)
PERIODS = {WEEK: 52, MONTH: 12}  # how far back the export goes
UNITS = {"nps": "eNPS (-100..100)", "yes_no": "% yes", "scale": "mean (1-5)"}


def question_record(result: QuestionResult) -> dict[str, Any]:
    """One export row with the documented column names."""
    return {
        "team": result.team,
        "period_kind": result.period,
        "period": result.label,
        "question": result.question_key,
        "question_text": result.question.text,
        "unit": UNITS[result.question.kind],
        "respondents": result.respondents,
        "value": result.value,
        "previous_value": result.previous,
        "change": result.change,
    }


def load_question_results(
    session: Session, settings: Settings, slack_team_id: str | None, *, now: datetime
) -> list[QuestionResult]:
    """Every shown result of the workspace, weeks then months."""
    ws = pick_workspace(session, slack_team_id)
    if ws is None:
        return []
    cfg = effective_config(session, settings=settings, workspace=ws)
    return _shown_results(session, ws.id, Audience(cfg.anonymity_threshold), now)


def _shown_results(
    session: Session, workspace_id: int, audience: Audience, now: datetime
) -> list[QuestionResult]:
    results: list[QuestionResult] = []
    for period, count in PERIODS.items():
        results += question_results(
            session,
            workspace_id=workspace_id,
            threshold=audience.limit,
            now=now,
            period=period,
            count=count,
        )
    return results


@surface("export_questions")
def export_question_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """`cxpulse export questions`: every shown result, weeks then months."""
    found = _shown_results(session, ask.workspace_id, ask.audience, ask.now)
    return question_figures("export_questions", found)


def format_questions(results: Sequence[QuestionResult], fmt: str) -> str:
    """CSV (header first, text cells neutralised for spreadsheets) or a JSON list."""
    records = [question_record(r) for r in results]
    if fmt == "json":
        return json.dumps(records, indent=2) + "\n"
    return write_csv(records, QUESTION_COLUMNS, lineterminator="\n")
