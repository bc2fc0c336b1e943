"""The weekly digest's content: group and compute only (no Slack, no sending), the pulse
questions included (eNPS in the month's first digest, and the week's second questions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.core.disclosure import (
    Audience,
    Figure,
    SurfaceAsk,
    month_closed,
    mood_figures,
    question_figures,
    shown_week,
    surface,
)
from bot.insights.flowon import FlowOnFinding, analyse
from bot.insights.questions import MONTH, WEEK, QuestionResult, question_results
from bot.insights.teamweeks import WHOLE_WORKSPACE, TeamWeek, team_weeks
from bot.outcomes.store import CustomerQuote, customer_quotes
from bot.pulse.questions import ENPS
from bot.stories.store import Telling, shared_tellings
from models import Celebration, CelebrationValue, Customer, CustomerMoment, Team

HISTORY_WEEKS = 12  # weeks shown in the chart
FLOWON_WEEKS = 52  # weeks the flow-on finding looks back over
STORYTELLER_WEEKS = 4


@dataclass(frozen=True)
class Story:
    """A customer moment worth retelling (moments are attributed and meant to be shared)."""

    customer: str
    outcome: str
    what_happened: str
    backstory: str
    csat: int | None


@dataclass(frozen=True)
class DigestData:
    """Everything one digest shows, already withheld where the threshold says so."""

    scope: str
    team_id: int | None
    week_start: date
    threshold: int
    this_week: TeamWeek | None
    last_week: TeamWeek | None
    series: list[TeamWeek]
    win_story: Story | None
    problem_story: Story | None
    top_values: list[tuple[str, int]]
    storyteller: Story | None
    finding: FlowOnFinding
    # Shown to one person inside the group: figures need one more respondent than shown.
    viewer_in_group: bool = False
    # Mean story sentiment of the week's wins and of its problems (outcomes it had).
    sentiment_by_outcome: dict[str, float] = field(default_factory=dict)
    # The week's stories no scorer reads (their language): left out of the sentiment above.
    unscored_stories: int = 0
    # A customer's own telling shared (with consent) this week: (customer, telling).
    own_words: tuple[str, Telling] | None = None
    # The week's comments from the help desk (customers' own words), emails removed.
    customer_quotes: list[CustomerQuote] = field(default_factory=list)

    @property
    def lag(self) -> int:
        """The lag (weeks) of the finding, for the chart; 0 without a finding."""
        return self.finding.best.lag_weeks if self.finding.best else 0

    @property
    def metric(self) -> str:
        """The outcome the finding is about (claimed, else primary), for the chart."""
        if self.finding.best is not None:
            return self.finding.best.metric
        return self.finding.primary_metric or "win_share"


def _story(session: Session, stmt: Select[CustomerMoment, str]) -> Story | None:
    row = session.execute(stmt.limit(1)).first()
    if row is None:
        return None
    moment, customer = row
    return Story(customer, moment.outcome, moment.what_happened, moment.backstory, moment.csat)


def _moments(workspace_id: int, team_id: int | None) -> Select[CustomerMoment, str]:
    stmt = (
        select(CustomerMoment, Customer.name)
        .join(Customer, Customer.id == CustomerMoment.customer_id)
        .where(CustomerMoment.workspace_id == workspace_id)
    )
    return stmt if team_id is None else stmt.where(CustomerMoment.team_id == team_id)


def sentiment_by_outcome(
    session: Session, *, workspace_id: int, week: date, team_id: int | None
) -> dict[str, float]:
    """Mean story sentiment of the week's wins and problems, by outcome."""
    stmt = (
        select(CustomerMoment.outcome, func.avg(CustomerMoment.sentiment))
        .where(
            CustomerMoment.workspace_id == workspace_id,
            CustomerMoment.week_start == week,
            CustomerMoment.outcome.in_(("win", "problem")),
        )
        .group_by(CustomerMoment.outcome)
    )
    if team_id is not None:
        stmt = stmt.where(CustomerMoment.team_id == team_id)
    return {outcome: float(mean) for outcome, mean in session.execute(stmt)}


def unscored_stories(
    session: Session, *, workspace_id: int, week: date, team_id: int | None
) -> int:
    """How many of the week's stories have no sentiment: no scorer reads their language."""
    stmt = select(func.count(CustomerMoment.id)).where(
        CustomerMoment.workspace_id == workspace_id,
        CustomerMoment.week_start == week,
        CustomerMoment.sentiment.is_(None),
    )
    if team_id is not None:
        stmt = stmt.where(CustomerMoment.team_id == team_id)
    return int(session.scalar(stmt) or 0)


def top_values(
    session: Session, *, workspace_id: int, week: date, team_id: int | None, limit: int = 3
) -> list[tuple[str, int]]:
    """The company values most tagged on the week's celebrations."""
    count = func.count(CelebrationValue.id)
    stmt = (
        select(CelebrationValue.value, count)
        .join(Celebration, Celebration.id == CelebrationValue.celebration_id)
        .where(Celebration.workspace_id == workspace_id, Celebration.week_start == week)
        .group_by(CelebrationValue.value)
        .order_by(count.desc(), CelebrationValue.value)
        .limit(limit)
    )
    if team_id is not None:
        stmt = stmt.where(Celebration.team_id == team_id)
    return [(value, int(n)) for value, n in session.execute(stmt)]


def workspace_finding(
    session: Session, *, workspace_id: int, until: date, threshold: int, min_team_weeks: int
) -> tuple[FlowOnFinding, list[TeamWeek]]:
    """The flow-on finding over the last year of team-weeks, and those team-weeks."""
    rows = team_weeks(
        session,
        workspace_id=workspace_id,
        threshold=threshold,
        since=until - timedelta(weeks=FLOWON_WEEKS - 1),
        until=until,
    )
    return analyse(rows, min_team_weeks=min_team_weeks), rows


def compute_digest(
    session: Session,
    *,
    workspace_id: int,
    week: date,
    team: Team | None,
    audience: Audience,
    now: datetime,
    min_team_weeks: int,
) -> DigestData:
    """The digest for ``week`` (or the newest closed week before it) for one team or everyone.

    ``audience.viewer_in_group``: shown to one person (a lead's preview) who is in the
    group, who knows their own answer; the figures then need one respondent more.
    """
    week = shown_week(week, now)
    team_id = team.id if team else None
    shown_threshold = audience.shown_threshold
    threshold = audience.limit
    viewer_in_group = audience.viewer_in_group
    finding, all_rows = workspace_finding(
        session,
        workspace_id=workspace_id,
        until=week,
        threshold=shown_threshold,
        min_team_weeks=min_team_weeks,
    )
    since = week - timedelta(weeks=HISTORY_WEEKS - 1)
    if team_id is None or viewer_in_group:
        series = team_weeks(
            session,
            workspace_id=workspace_id,
            threshold=threshold,
            since=since,
            until=week,
            team_id=team_id,
            by_team=team_id is not None,
        )
    else:
        series = [r for r in all_rows if r.team_id == team_id and r.week_start >= since]
    by_week = {r.week_start: r for r in series}
    in_week = _moments(workspace_id, team_id).where(CustomerMoment.week_start == week)
    recent = _moments(workspace_id, team_id).where(
        CustomerMoment.week_start > week - timedelta(weeks=STORYTELLER_WEEKS),
        CustomerMoment.week_start <= week,
        CustomerMoment.would_tell_story.is_(True),
    )
    return DigestData(
        scope=team.name if team else WHOLE_WORKSPACE,
        team_id=team_id,
        week_start=week,
        threshold=shown_threshold,
        this_week=by_week.get(week),
        last_week=by_week.get(week - timedelta(weeks=1)),
        series=series,
        win_story=_story(
            session,
            in_week.where(CustomerMoment.outcome == "win").order_by(
                CustomerMoment.would_tell_story.desc(),
                # An unscored story (its language) is neither the warmest nor the coldest.
                CustomerMoment.sentiment.desc().nulls_last(),
                CustomerMoment.id,
            ),
        ),
        problem_story=_story(
            session,
            in_week.where(CustomerMoment.outcome == "problem").order_by(
                CustomerMoment.sentiment.asc().nulls_last(), CustomerMoment.id
            ),
        ),
        top_values=top_values(session, workspace_id=workspace_id, week=week, team_id=team_id),
        storyteller=_story(
            session,
            recent.order_by(
                (CustomerMoment.outcome == "win").desc(),
                CustomerMoment.week_start.desc(),
                CustomerMoment.id.desc(),
            ),
        ),
        finding=finding,
        viewer_in_group=viewer_in_group,
        sentiment_by_outcome=sentiment_by_outcome(
            session, workspace_id=workspace_id, week=week, team_id=team_id
        ),
        unscored_stories=unscored_stories(
            session, workspace_id=workspace_id, week=week, team_id=team_id
        ),
        own_words=_own_words(session, workspace_id=workspace_id, team_id=team_id, week=week),
        customer_quotes=customer_quotes(
            session, workspace_id=workspace_id, week=week, team_id=team_id
        ),
    )


def _own_words(
    session: Session, *, workspace_id: int, team_id: int | None, week: date
) -> tuple[str, Telling] | None:
    """The newest telling a customer shared with consent during ``week``."""
    start = datetime.combine(week, time.min, tzinfo=UTC)
    told = shared_tellings(
        session,
        workspace_id=workspace_id,
        start=start,
        end=start + timedelta(weeks=1),
        team_id=team_id,
    )
    return told[0] if told else None


@surface("digest")
def digest_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """The digest's figures (posted, or previewed by a lead): mood of the week, the chart."""
    team = session.get(Team, ask.team_id) if ask.team_id else None
    data = compute_digest(
        session,
        workspace_id=ask.workspace_id,
        week=ask.now.date(),
        team=team,
        audience=ask.audience,
        now=ask.now,
        min_team_weeks=10,
    )
    return mood_figures("digest", [data.this_week, data.last_week, *data.series])


@dataclass(frozen=True)
class DigestQuestions:
    """eNPS for ``month`` (None: not the monthly edition) and second questions for ``week``."""

    month: date | None
    enps: QuestionResult | None
    week: date
    weekly: list[QuestionResult]


def monthly_month(week: date, now: datetime) -> date | None:
    """The month whose eNPS the digest for ``week`` reports, when it is the monthly edition.

    The month's first digest is the one for the first week that starts in a new month
    (its Monday is one of the month's first seven days); it reports the month before,
    once that month has closed.
    """
    if week.day > 7:
        return None
    month = (week.replace(day=1) - timedelta(days=1)).replace(day=1)
    return month if month_closed(month, now) else None


def digest_questions(
    session: Session,
    *,
    workspace_id: int,
    team_id: int | None,
    week: date,
    audience: Audience,
    now: datetime,
) -> DigestQuestions:
    """Results for the digest's scope (a team, or everyone), closed periods only."""
    closed_week = shown_week(week, now)

    def results(period: str, until: date, keys: tuple[str, ...] | None) -> list[QuestionResult]:
        return question_results(
            session,
            workspace_id=workspace_id,
            threshold=audience.limit,
            now=now,
            period=period,
            keys=keys,
            team_id=team_id,
            whole_workspace_only=team_id is None,
            until=until,
        )

    month = monthly_month(closed_week, now)
    found = results(MONTH, month, (ENPS,)) if month is not None else []
    return DigestQuestions(
        month=month,
        enps=found[0] if found else None,
        week=closed_week,
        weekly=results(WEEK, closed_week, None),
    )


@surface("digest_questions")
def digest_question_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """The digest's eNPS (monthly edition) and second questions, for the week asked now."""
    found = digest_questions(
        session,
        workspace_id=ask.workspace_id,
        team_id=ask.team_id,
        week=ask.now.date(),
        audience=ask.audience,
        now=ask.now,
    )
    return question_figures(
        "digest_questions", [*([found.enps] if found.enps else []), *found.weekly]
    )
