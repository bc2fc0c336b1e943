"""Agents named by a help desk (email or Slack id) matched to people, and their team on a day."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import CustomerOutcome, Person, PulseSend


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
