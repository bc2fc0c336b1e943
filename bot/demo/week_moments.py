"""The customer-moment part of a simulated week: logging moments, celebrating the week's
wins, and closing follow-ups, each through the app's real Slack surfaces."""

from __future__ import annotations

import random
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core import ids
from bot.demo.moments import MomentPlan, customer_choice, plan_moment
from bot.demo.processes import DemoStack
from bot.demo.simulation import Population, SimPerson
from bot.demo.slack_side import newest_in_dm, open_view
from bot.pulse.schedule import local_date
from bot.workspace.config import DEFAULT_VALUES

DONE_RATE = 0.7  # follow-ups marked done from the DM


@dataclass(frozen=True)
class MomentsLogging:
    """One day's customer moments, being logged: the plans, in order, and who is typing."""

    day: date
    plans: list[MomentPlan]
    futures: list[Future[list[tuple[int, bool]]]]


class MomentSteps:
    """WeekDriver's steps for customer moments, celebrations and follow-ups."""

    # The WeekDriver fields these steps use.
    stack: DemoStack
    population: Population
    user_ids: dict[str, str]
    rng: random.Random
    pool: ThreadPoolExecutor
    counts: dict[str, int]
    moments_in_flight: list[MomentsLogging]
    posts_seen: int
    week_wins: list[tuple[SimPerson, str]]

    def _job(self, name: str) -> dict[str, Any]:
        raise NotImplementedError  # WeekDriver runs the app's jobs

    def _moments(self, week: int, teams: list[str]) -> None:
        """Someone in each of ``teams`` starts logging a customer moment through `/cx moment`.

        The story is drawn here, in order, so a seed gives the same story; people then
        log at the same time (one person's moments one after another) while the day goes
        on, until something needs them (``_settle_moments``).
        """
        plans: list[MomentPlan] = []
        for team in teams:
            members = [p for p in self.population.people if p.team == team]
            person = self.rng.choice(members)
            today = local_date(self.stack.clock(), person.tz)
            plans.append(plan_moment(self.rng, self.population, person, week, today))
        by_person: dict[str, list[int]] = defaultdict(list)
        for i, plan in enumerate(plans):
            by_person[plan.person.name].append(i)

        def log(indices: list[int]) -> list[tuple[int, bool]]:
            return [(i, self._log_moment(plans[i])) for i in indices]

        futures = [self.pool.submit(log, indices) for indices in by_person.values()]
        self.moments_in_flight.append(MomentsLogging(self.stack.clock().date(), plans, futures))

    def _settle_moments(self, *, before: date | None = None) -> None:
        """Wait for the moments people are logging; count them and note the wins, in order.

        ``before`` waits only for the moments of earlier days: people type while the
        day goes on, and only a follow-up days later, a celebration or the digest needs
        their moments in the database.
        """
        pending: list[MomentsLogging] = []
        waiting: list[MomentsLogging] = []
        for batch in self.moments_in_flight:
            (pending if before is None or batch.day < before else waiting).append(batch)
        self.moments_in_flight = waiting
        for batch in pending:
            plans, futures = batch.plans, batch.futures
            logged = [False] * len(plans)
            for future in futures:
                for i, ok in future.result():
                    logged[i] = ok
            for plan, ok in zip(plans, logged, strict=True):
                if ok:
                    self.counts["customer moments"] += 1
                    if plan.is_win:
                        self.week_wins.append((plan.person, plan.story))

    def _log_moment(self, plan: MomentPlan) -> bool:
        """Open the modal with `/cx moment`, fill it in as planned and submit it."""
        user_id = self.user_ids[plan.person.name]
        actor = self.stack.actor_for(user_id)
        view = open_view(
            self.stack, user_id, lambda: actor.slash_command(user_id, "moment"), ids.MOMENT_MODAL
        )
        values = {**plan.values, **customer_choice(view, plan.customer)}
        reply = actor.submit_view(user_id, view, values)
        return reply.status == 200 and not (reply.json or {}).get("errors")

    def _celebrations(self) -> None:
        """Each team's lead celebrates one of the week's wins: `/cx celebrate @x for … #value`."""
        self._settle_moments()
        leads = {p.team: p for p in self.population.people if p.is_lead}
        wins, self.week_wins = self.week_wins, []
        for team, lead in leads.items():
            # Celebrations are for recognising others: a lead's own wins are left out.
            ours = [w for w in wins if w[0].team == team and w[0] != lead]
            if not ours or self.rng.random() < 0.2:
                continue
            person, story = self.rng.choice(ours)
            value = self.rng.choice(DEFAULT_VALUES)
            text = f"<@{self.user_ids[person.name]}> for this win with {story} #{value}"
            lead_id = self.user_ids[lead.name]
            reply = self.stack.actor_for(lead_id).slash_command(lead_id, f"celebrate {text}")
            if reply.status == 200 and reply.json is None:  # an empty ack: it is being posted
                self.counts["celebrations"] += 1

    def _followups(self) -> None:
        """Run the follow-ups job; people mark most of the DMs it sent as done."""
        # Follow-ups are dated two days after the moment: today's moments are not due yet.
        self._settle_moments(before=self.stack.clock().date())
        self._job("followups")
        posts = self.stack.emulator.calls_to("chat.postMessage")
        fresh, self.posts_seen = posts[self.posts_seen :], len(posts)
        for call in fresh:
            if ids.FOLLOWUP_DONE not in str(call.args.get("blocks", "")):
                continue
            user_id = str(call.args["channel"])
            if self.rng.random() >= DONE_RATE:
                continue
            message = self._followup_message(user_id)
            if message is not None:
                actor = self.stack.actor_for(user_id)
                actor.click(user_id, message=message, action_id=ids.FOLLOWUP_DONE)
                self.counts["follow-ups done"] += 1

    def _followup_message(self, user_id: str) -> dict[str, Any] | None:
        return newest_in_dm(self.stack, user_id, action_id=ids.FOLLOWUP_DONE)
