"""What a person sees of their own pulse on App Home: 30-day trend, streak, what's next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.pulse.answers import SKIP_DAYS, scores_since, streak_for
from bot.pulse.flags import skipped_days
from bot.pulse.respondents import week_keys
from bot.pulse.schedule import PulsePlan, local_date, next_pulse
from bot.pulse.sends import plan_for
from bot.workspace.config import WorkspaceConfig
from models import Person, PulsePreference, PulseSend

TREND_DAYS = 30


@dataclass(frozen=True)
class PulseSummary:
    """One person's own pulse picture."""

    plan: PulsePlan
    today: date
    pulse_days: list[date]
    scores: dict[date, int]
    streak: int
    next_at: datetime | None


def pulse_summary(
    session: Session,
    *,
    secret: str,
    team_id: str,
    person: Person,
    config: WorkspaceConfig,
    now: datetime,
) -> PulseSummary:
    """The person's last 30 days of pulses and answers (their own key only), streak and plan."""
    plan = plan_for(person, session.get(PulsePreference, person.id), config)
    today = local_date(now, plan.tz)
    since = today - timedelta(days=TREND_DAYS - 1)
    # A handful of weekly keys covers the 30 days; nothing else of theirs is looked at.
    keys = week_keys(secret, team_id, person.slack_user_id, since=since, until=today)
    pulse_days = list(
        session.scalars(
            select(PulseSend.pulse_date)
            .where(
                PulseSend.person_id == person.id,
                PulseSend.pulse_date >= since,
                PulseSend.status.in_(("sent", "claimed", "closed")),
            )
            .order_by(PulseSend.pulse_date)
        )
    )
    scores = scores_since(session, keys=keys, since=since)
    # A skipped day is no pulse day (it is only a keyed flag, found by recomputing it).
    skipped = skipped_days(
        session,
        secret=secret,
        slack_team_id=team_id,
        slack_user_id=person.slack_user_id,
        days=pulse_days[-SKIP_DAYS:],
    )
    pulse_days = [day for day in pulse_days if day not in skipped]
    # Answers whose send record is gone (e.g. retention) still count as pulse days.
    pulse_days = sorted(set(pulse_days) | set(scores))
    streak = streak_for(
        session,
        secret=secret,
        team_id=team_id,
        user_id=person.slack_user_id,
        person_id=person.id,
        as_of=today,
        allow_open_today=True,
    )
    return PulseSummary(plan, today, pulse_days, scores, streak, next_pulse(plan, now))
