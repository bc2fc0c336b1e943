"""Team × ISO-week aggregates, computed by GROUP BY in SQL (the same on SQLite and PostgreSQL).

Mood fields (respondents, mean mood, participation) are withheld, as None, whenever
fewer distinct people answered than the anonymity threshold. Every reader (digest,
App Home, export, flow-on) goes through here, so nothing can show them by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Float, String, case, cast, distinct, func, select
from sqlalchemy.orm import Session

from bot.core.disclosure import effective_threshold, suppress_complement
from bot.core.i18n import N_
from bot.insights.rollup import live_ranges, rolled_weeks, rollup_rows
from bot.pulse.store import SENT
from models import (
    Celebration,
    CustomerMoment,
    CustomerOutcome,
    PulseAnswer,
    PulseNote,
    PulseSend,
    Team,
)

WHOLE_WORKSPACE = N_("Everyone")  # translated where the digest is written
NO_TEAM = "(no team)"

Key = tuple[int | None, date]


@dataclass(frozen=True)
class TeamWeek:
    """One team (or the whole workspace) in one ISO week."""

    team_id: int | None
    team: str
    week_start: date
    respondents: int | None
    mean_mood: float | None
    participation: float | None
    moments: int
    wins: int
    problems: int
    win_share: float | None
    mean_csat: float | None
    mean_sentiment: float | None
    celebrations: int
    # What customers themselves said (help desk): ratings, mean CSAT on 1–5 (thumbs: good
    # 5, bad 1), and NPS.
    customer_responses: int = 0
    customer_csat: float | None = None
    customer_nps: float | None = None
    # The team's workload from the help desk (None where no export carried it).
    tickets: int | None = None
    handle_time: float | None = None

    @property
    def withheld(self) -> bool:
        """True when too few people answered for the mood fields to be shown."""
        return self.mean_mood is None


@dataclass(frozen=True)
class _Scope:
    workspace_id: int
    since: date | None
    until: date | None
    team_id: int | None
    by_team: bool

    def within(self, since: date | None, until: date | None) -> _Scope:
        """The same scope over a narrower range of weeks."""
        return replace(self, since=since, until=until)


def _scoped(stmt: Any, model: Any, scope: _Scope, *where: Any) -> Any:
    """``stmt`` limited to the scope's workspace, weeks and team (and ``where``)."""
    stmt = stmt.where(model.workspace_id == scope.workspace_id, *where)
    if scope.since is not None:
        stmt = stmt.where(model.week_start >= scope.since)
    if scope.until is not None:
        stmt = stmt.where(model.week_start <= scope.until)
    if scope.team_id is not None:
        stmt = stmt.where(model.team_id == scope.team_id)
    return stmt


def _keyed(rows: Any, scope: _Scope) -> dict[Key, tuple[Any, ...]]:
    if scope.by_team:
        return {(row[0], row[1]): tuple(row[2:]) for row in rows}
    return {(None, row[0]): tuple(row[1:]) for row in rows}


def _grouped(
    session: Session, model: Any, columns: list[Any], scope: _Scope, *where: Any
) -> dict[Key, tuple[Any, ...]]:
    """One GROUP BY (team, week), or (week) for the whole workspace; rows by (team id, week)."""
    keys = [model.team_id, model.week_start] if scope.by_team else [model.week_start]
    stmt = _scoped(select(*keys, *columns), model, scope, *where)
    return _keyed(session.execute(stmt.group_by(*keys)), scope)


def _distinct_grouped(
    session: Session, model: Any, who: Any, counts: list[Any], scope: _Scope, *where: Any
) -> dict[Key, tuple[Any, ...]]:
    """Like ``_grouped`` with columns (count of distinct ``who``, *``counts``).

    ``counts`` are additive aggregates (count, sum). PostgreSQL sorts for
    ``count(DISTINCT …)``; grouping by ``who`` first and adding up lets it hash instead
    (about half the time on a week of 50 k answers). SQLite is faster the plain way.
    """
    if session.get_bind().dialect.name != "postgresql":
        return _grouped(session, model, [func.count(distinct(who)), *counts], scope, *where)
    keys = [model.team_id, model.week_start] if scope.by_team else [model.week_start]
    parts = [c.label(f"part_{i}") for i, c in enumerate(counts)]
    per = _scoped(select(*keys, who, *parts), model, scope, *where).group_by(*keys, who)
    sub = per.subquery()
    outer = [sub.c[k.key] for k in keys]
    stmt = select(*outer, func.count(), *[func.sum(sub.c[f"part_{i}"]) for i in range(len(parts))])
    return _keyed(session.execute(stmt.group_by(*outer)), scope)


def _pulse_groups(
    session: Session, scope: _Scope
) -> tuple[dict[Key, tuple[Any, ...]], dict[Key, tuple[Any, ...]]]:
    """Answers (respondents, answers, score sum) and sends (people sent) by (team, week).

    Rolled-up weeks come from ``pulse_rollup``; the rest (the open weeks, weeks not
    rolled up yet or invalidated) from GROUP BYs over the raw rows of their ranges.
    """
    rolled = rolled_weeks(
        session, workspace_id=scope.workspace_id, since=scope.since, until=scope.until
    )
    answers: dict[Key, tuple[Any, ...]] = {}
    sends: dict[Key, tuple[Any, ...]] = {}
    cached = rollup_rows(
        session,
        workspace_id=scope.workspace_id,
        weeks=rolled,
        team_id=scope.team_id,
        by_team=scope.by_team,
    )
    for key, row in cached.items():
        if row.answers:
            answers[key] = (row.respondents, row.answers, row.score_sum)
        if row.sent_people:
            sends[key] = (row.sent_people,)
    a, s = PulseAnswer, PulseSend
    for since, until in live_ranges(rolled, scope.since, scope.until):
        part = scope.within(since, until)
        answers |= _distinct_grouped(
            session, a, a.respondent_key, [func.count(a.id), func.sum(a.score)], part
        )
        sends |= _distinct_grouped(session, s, s.person_id, [], part, s.status.in_(SENT))
    return answers, sends


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _customer_groups(session: Session, scope: _Scope) -> dict[Key, tuple[Any, ...]]:
    """(ratings, mean CSAT 1–5, NPS answers, promoters, detractors, mean handling minutes,
    tickets) by (team, week).

    Per team, only outcomes matched to a person count: an unmatched one has no team yet.
    Tickets add up each agent's stated tickets per day once (every row of that agent's
    day carries the same count; a person named by email and by Slack id is one agent).
    """
    o = CustomerOutcome
    nps = o.kind == "nps"
    matched = [o.person_id.is_not(None)] if scope.by_team else []
    columns = [
        func.count(o.id),
        1 + 4 * func.avg(case((~nps, o.scaled), else_=None)),
        func.sum(case((nps, 1), else_=0)),
        func.sum(case((nps & (o.score >= 9), 1), else_=0)),
        func.sum(case((nps & (o.score <= 6), 1), else_=0)),
        func.avg(o.handle_minutes),
    ]
    groups = _grouped(session, o, columns, scope, *matched)
    keys = [o.team_id, o.week_start] if scope.by_team else [o.week_start]
    has = [*matched, o.agent_day_tickets.is_not(None)]
    per_day = _scoped(
        select(*keys, func.max(o.agent_day_tickets).label("tickets")), o, scope, *has
    ).group_by(*keys, func.coalesce(cast(o.person_id, String), o.agent_ref), o.happened_on)
    sub = per_day.subquery()
    outer = [sub.c[k.key] for k in keys]
    tickets = _keyed(
        session.execute(select(*outer, func.sum(sub.c.tickets)).group_by(*outer)), scope
    )
    return {k: (*v, tickets.get(k, (None,))[0]) for k, v in groups.items()}


def _nps(answers: Any, promoters: Any, detractors: Any) -> float | None:
    """Net Promoter Score in points: % 9–10 minus % 0–6."""
    return 100 * (int(promoters) - int(detractors)) / int(answers) if answers else None


def team_weeks(
    session: Session,
    *,
    workspace_id: int,
    threshold: int,
    since: date | None = None,
    until: date | None = None,
    team_id: int | None = None,
    by_team: bool = True,
) -> list[TeamWeek]:
    """Aggregates per team and week (or per week for the whole workspace), oldest first.

    The whole-workspace mood is also withheld when "everyone" minus the teams shown
    would isolate fewer people than the threshold (complementary suppression), so the
    rows are safe side by side anywhere.
    """
    scope = _Scope(workspace_id, since, until, None, by_team)
    answers, sends = _pulse_groups(session, scope)
    limit = effective_threshold(threshold)
    if not by_team:
        answers = _suppress_totals(session, scope, answers, limit)
    moments = _grouped(
        session,
        CustomerMoment,
        [
            func.count(CustomerMoment.id),
            func.sum(case((CustomerMoment.outcome == "win", 1), else_=0)),
            func.sum(case((CustomerMoment.outcome == "problem", 1), else_=0)),
            func.avg(cast(CustomerMoment.csat, Float)),
            func.avg(CustomerMoment.sentiment),
        ],
        scope,
    )
    celebrations = _grouped(session, Celebration, [func.count(Celebration.id)], scope)
    customers = _customer_groups(session, scope)
    names = dict(
        session.execute(select(Team.id, Team.name).where(Team.workspace_id == workspace_id)).all()
    )
    rows: list[TeamWeek] = []
    for key in sorted(
        set(answers) | set(moments) | set(celebrations) | set(customers),
        key=lambda k: (k[1], k[0] is None, k[0] or 0),
    ):
        tid, week = key
        if team_id is not None and tid != team_id:
            continue
        count, n_answers, score_sum = answers.get(key, (0, 0, 0))
        mood = int(score_sum) / int(n_answers) if n_answers and score_sum is not None else None
        shown = count >= limit and mood is not None
        sent = sends.get(key, (0,))[0]
        n_moments, wins, problems, csat, sentiment = moments.get(key, (0, 0, 0, None, None))
        rated, rated_mean, nps_n, promoters, detractors, handle, tickets = customers.get(
            key, (0, None, 0, 0, 0, None, None)
        )
        label = WHOLE_WORKSPACE if not by_team else names.get(tid, NO_TEAM) if tid else NO_TEAM
        rows.append(
            TeamWeek(
                team_id=tid,
                team=label,
                week_start=week,
                respondents=count if shown else None,
                mean_mood=mood if shown else None,
                participation=min(1.0, count / sent) if shown and sent else None,
                moments=int(n_moments),
                wins=int(wins or 0),
                problems=int(problems or 0),
                win_share=int(wins or 0) / n_moments if n_moments else None,
                mean_csat=_float(csat),
                mean_sentiment=_float(sentiment),
                celebrations=int(celebrations.get(key, (0,))[0]),
                customer_responses=int(rated),
                customer_csat=_float(rated_mean),
                customer_nps=_nps(nps_n, promoters, detractors),
                tickets=None if tickets is None else int(tickets),
                handle_time=_float(handle),
            )
        )
    return rows


def _suppress_totals(
    session: Session, scope: _Scope, totals: dict[Key, tuple[Any, ...]], limit: int
) -> dict[Key, tuple[Any, ...]]:
    """Withhold the whole-workspace mood of weeks whose withheld teams add up to 1..limit-1.

    Otherwise "everyone" minus the teams shown gives those few people away (complementary
    suppression). The total goes rather than a team: team figures are what leads act
    on, and what the flow-on analysis reads.
    """
    per_team, _ = _pulse_groups(session, replace(scope, by_team=True))
    parts: dict[date, dict[int, int]] = {}
    for (team, week), row in per_team.items():
        parts.setdefault(week, {})[team or 0] = int(row[0])  # 0: people outside any team
    out = dict(totals)
    for key, row in totals.items():
        if None not in suppress_complement(parts.get(key[1], {}), int(row[0]), limit):
            out[key] = (row[0], row[1], None)  # a None score sum: withheld
    return out


def shareable_notes(
    session: Session,
    *,
    workspace_id: int,
    week_start: date,
    threshold: int,
    team_id: int | None = None,
    limit: int = 5,
) -> list[str] | None:
    """A week's pulse notes, without names or days, or None when fewer wrote than the threshold.

    Counted per team even for the whole workspace: only teams whose own writers reach the
    threshold contribute, or the whole list minus the teams' lists would give a small
    team's notes away. Ordered by text, not by time, so the order says nothing about who
    wrote when.
    """
    groups = note_writers(
        session, workspace_id=workspace_id, week_start=week_start, team_id=team_id, limit=threshold
    )
    if not groups:
        return None
    base = select(PulseNote.text).where(
        PulseNote.workspace_id == workspace_id,
        PulseNote.week_start == week_start,
        func.coalesce(PulseNote.team_id, 0).in_(list(groups)),
    )
    return list(session.scalars(base.order_by(PulseNote.text).limit(limit)))


def note_writers(
    session: Session,
    *,
    workspace_id: int,
    week_start: date,
    team_id: int | None = None,
    limit: int,
) -> dict[int, int]:
    """Distinct note writers of a week per team (0: no team), for teams with ``limit`` or more."""
    team = func.coalesce(PulseNote.team_id, 0)
    count = (
        select(team, func.count(distinct(PulseNote.respondent_key)))
        .where(PulseNote.workspace_id == workspace_id, PulseNote.week_start == week_start)
        .group_by(team)
    )
    if team_id is not None:
        count = count.where(PulseNote.team_id == team_id)
    floor = effective_threshold(limit)
    return {int(t): int(n) for t, n in session.execute(count) if n >= floor}
