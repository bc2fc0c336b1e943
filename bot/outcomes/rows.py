"""One customer rating in the generic shape, checked (what every format and the webhook
produce), and the agents a help desk names (email or Slack id) matched to people and
their team on a day."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import CustomerOutcome, Person, PulseSend

KINDS = ("csat", "nps", "thumbs")
GENERIC_COLUMNS = ("when", "agent", "kind", "score", "customer", "comment", "external_id")
REQUIRED_COLUMNS = ("when", "agent", "kind", "score")
# Optional workload columns: minutes spent on the ticket, tickets the agent handled that day.
WORKLOAD_COLUMNS = ("handle_time", "tickets")
MAX_HANDLE_MINUTES = 7 * 24 * 60  # a week; more is a typo or seconds in the wrong column
MAX_AGENT_DAY_TICKETS = 10_000
_THUMBS = {"good": 1.0, "bad": 0.0, "up": 1.0, "down": 0.0, "1": 1.0, "0": 0.0}
MAX_EXTERNAL_ID = 128
MAX_CUSTOMER = 200
MAX_COMMENT = 5000


class RowError(ValueError):
    """A row that cannot be stored; the message names the field and what was wrong."""


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """A checked rating: aware UTC instant, the day as written, score and its 0–1 scaling."""

    line: int
    happened_at: datetime
    happened_on: date
    kind: str
    score: float
    scaled: float
    agent: str
    customer: str | None
    comment: str | None
    external_id: str
    handle_minutes: float | None = None
    agent_day_tickets: int | None = None


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A rejected row: its line (file) or position (webhook list, from 1) and why."""

    line: int
    reason: str


def parse_when(raw: str, *, field: str = "when") -> tuple[datetime, date]:
    """An ISO 8601 date or date-time (or Unix seconds): the UTC instant and the day as written."""
    text = raw.strip()
    if not text:
        raise RowError(f"{field} is empty")
    if text.isdigit():  # Unix seconds, as Intercom writes times
        instant = datetime.fromtimestamp(int(text), tz=UTC)
        return instant, instant.date()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time(12), tzinfo=UTC), day
        value = datetime.fromisoformat(text)  # 3.11+: "Z" and a space separator too
    except ValueError:
        raise RowError(f"{field} {text[:40]!r} is not an ISO 8601 date or date-time") from None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC), aware.date()


def scaled_score(kind: str, raw: str) -> tuple[float, float]:
    """(score, score on 0–1) for ``kind``; a RowError names the allowed range."""
    text = raw.strip().lower()
    if not text:
        raise RowError("score is empty")
    if kind == "thumbs":
        if text not in _THUMBS:
            raise RowError(f"score {raw[:20]!r} for thumbs must be good or bad")
        return _THUMBS[text], _THUMBS[text]
    low, high = (1, 5) if kind == "csat" else (0, 10)
    try:
        value = float(text)
    except ValueError:
        raise RowError(f"score {raw[:20]!r} is not a number") from None
    if not low <= value <= high:
        raise RowError(f"score {raw[:20]} for {kind} must be {low}–{high}")
    return value, (value - low) / (high - low)


def workload(values: Mapping[str, Any]) -> tuple[float | None, int | None]:
    """(handling minutes, the agent's tickets that day), each None when not given."""
    minutes = _optional(values.get("handle_time"), "handle_time", MAX_HANDLE_MINUTES, whole=False)
    tickets = _optional(values.get("tickets"), "tickets", MAX_AGENT_DAY_TICKETS, whole=True)
    return minutes, None if tickets is None else int(tickets)


def _optional(raw: Any, field: str, high: float, *, whole: bool) -> float | None:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    kind = "a whole number" if whole else "a number of minutes"
    try:
        value = float(int(text)) if whole else float(text)
    except ValueError:
        raise RowError(f"{field} {text[:20]!r} is not {kind}") from None
    if not 0 <= value <= high:
        raise RowError(f"{field} {text[:20]} must be 0–{high:g}")
    return value


def _text(value: Any, limit: int) -> str | None:
    text = "" if value is None else str(value).strip()
    return text[:limit] or None


def normalise_agent(raw: str) -> str:
    """Emails compare case-insensitively; Slack ids are kept as they are."""
    agent = raw.strip()
    return agent.lower() if "@" in agent else agent


def derived_id(values: Mapping[str, Any]) -> str:
    """An id for a row that has none: the same row imported twice is still one outcome."""
    joined = "\x1f".join(str(values.get(c) or "").strip() for c in GENERIC_COLUMNS[:6])
    return "sha256:" + hashlib.sha256(joined.encode()).hexdigest()[:40]


def generic_row(values: Mapping[str, Any], *, line: int) -> OutcomeRow:
    """Check one row in the generic shape (the CSV columns, or a webhook object)."""
    kind = str(values.get("kind") or "").strip().lower()
    if kind not in KINDS:
        raise RowError(f"kind {kind[:20]!r} must be one of {', '.join(KINDS)}")
    agent = normalise_agent(str(values.get("agent") or ""))
    if not agent:
        raise RowError("agent is empty (a Slack user id or an email)")
    if len(agent) > 255:
        raise RowError("agent is longer than 255 characters")
    score = values.get("score")
    score, scaled = scaled_score(kind, "" if score is None else str(score))
    happened_at, happened_on = parse_when(str(values.get("when") or ""))
    minutes, tickets = workload(values)
    external = _text(values.get("external_id"), 10_000)
    if external is not None and len(external) > MAX_EXTERNAL_ID:
        raise RowError(f"external_id is longer than {MAX_EXTERNAL_ID} characters")
    return OutcomeRow(
        line=line,
        happened_at=happened_at,
        happened_on=happened_on,
        kind=kind,
        score=score,
        scaled=scaled,
        agent=agent,
        customer=_text(values.get("customer"), MAX_CUSTOMER),
        comment=_text(values.get("comment"), MAX_COMMENT),
        external_id=external or derived_id(values),
        handle_minutes=minutes,
        agent_day_tickets=tickets,
    )


@dataclass
class AgentIndex:
    """People of one workspace by Slack id and email, and their team snapshots by day."""

    workspace_id: int
    by_ref: dict[str, int]
    current_team: dict[int, int | None]
    # person id → (sorted pulse days, the team each day's pulse was sent under)
    _history: dict[int, tuple[list[date], list[int | None]]] = field(default_factory=dict)

    def match(self, agent: str) -> int | None:
        """The person an agent reference names, or None."""
        return self.by_ref.get(agent)

    def team_on(self, person_id: int, day: date) -> int | None:
        """The person's team on ``day``: their last pulse's team on or before it, else today's."""
        days, teams = self._history.get(person_id, ([], []))
        i = bisect.bisect_right(days, day)
        if i:
            return teams[i - 1]
        if days:  # before their first pulse: the team they were first pulsed in
            return teams[0]
        return self.current_team.get(person_id)

    def load_history(self, session: Session, person_ids: Iterable[int]) -> None:
        """Read the pulse-send team snapshots of ``person_ids`` not read yet."""
        wanted = sorted(set(person_ids) - self._history.keys())
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found: dict[int, tuple[list[date], list[int | None]]] = {p: ([], []) for p in chunk}
            rows = session.execute(
                select(PulseSend.person_id, PulseSend.pulse_date, PulseSend.team_id)
                .where(PulseSend.workspace_id == self.workspace_id)
                .where(PulseSend.person_id.in_(chunk))
                .order_by(PulseSend.person_id, PulseSend.pulse_date)
            )
            for pid, day, team in rows:
                found[pid][0].append(day)
                found[pid][1].append(team)
            self._history.update(found)


def agent_index(session: Session, *, workspace_id: int) -> AgentIndex:
    """Every person of the workspace by Slack id and lower-cased email."""
    by_ref: dict[str, int] = {}
    teams: dict[int, int | None] = {}
    rows = session.execute(
        select(Person.id, Person.slack_user_id, Person.email, Person.team_id).where(
            Person.workspace_id == workspace_id
        )
    )
    for pid, slack_id, email, team in rows:
        by_ref[slack_id] = pid
        if email:
            by_ref[email.lower()] = pid
        teams[pid] = team
    return AgentIndex(workspace_id, by_ref, teams)


def match_pending(session: Session, *, workspace_id: int) -> int:
    """Give unmatched outcomes their person and team now that the directory may know them."""
    pending = session.execute(
        select(CustomerOutcome.id, CustomerOutcome.agent_ref, CustomerOutcome.happened_on).where(
            CustomerOutcome.workspace_id == workspace_id, CustomerOutcome.person_id.is_(None)
        )
    ).all()
    if not pending:
        return 0
    index = agent_index(session, workspace_id=workspace_id)
    matched = [(oid, index.match(ref), day) for oid, ref, day in pending if index.match(ref)]
    index.load_history(session, (pid for _, pid, _ in matched if pid is not None))
    for oid, pid, day in matched:
        assert pid is not None
        session.execute(
            update(CustomerOutcome)
            .where(CustomerOutcome.id == oid)
            .values(person_id=pid, team_id=index.team_on(pid, day))
        )
    return len(matched)
