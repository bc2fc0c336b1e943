"""One simulated week of `cxpulse demo`: the real jobs on the app's clock, people answering.

Everything a simulated person does is a signed request to the app, built from
what the app really posted (pulse DMs, modals, follow-up DMs); nothing is
written to the database directly. Random choices are made on the calling
thread, in a fixed order, so a seed gives the same story.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from bot.core import ids
from bot.demo.moments import MOMENTS_PER_TEAM_WEEK
from bot.demo.processes import DemoStack
from bot.demo.schedule import UPKEEP_AT, PulseGroup, pulse_runs, reminder_runs, upkeep_jobs
from bot.demo.simulation import Population, SimPerson
from bot.demo.slack_side import (
    Where,
    newest_in_dm,
    open_view,
    tap_replies,
    wait_tap_replies,
    where,
)
from bot.demo.week_moments import MomentsLogging, MomentSteps
from bot.pulse.delivery import DEFAULT_REMINDER_AFTER
from bot.pulse.schedule import DEFAULT_CATCH_UP, local_instant
from bot.workspace.config import DEFAULT_PULSE_TIME
from slack_emulator.webhooks import RESPONSE_CALL

NOTE_RATE = 0.03  # share of answers that also add a note
LATE_SHARE = 0.15  # share of answerers who only answer after the reminder
NOTES = (
    "Queue was brutal today, but the team pulled together.",
    "Great call with a customer who was upset at first.",
    "Too many context switches; hard to focus.",
    "Loved pairing with the new hire on a tricky ticket.",
)
TALLIED = (
    "chat.postMessage",
    RESPONSE_CALL,  # the ephemeral reply to each tap (the DM itself is never edited)
    "views.open",
    "views.publish",
    "files.completeUploadExternal",
)
Event = tuple[datetime, int, Callable[[], object]]
Answer = tuple[SimPerson, int, bool]  # who, which face, whether they add a note


@dataclass
class WeekDriver(MomentSteps):
    """Plays every simulated person through the weeks, against one running stack."""

    stack: DemoStack
    population: Population
    user_ids: dict[str, str]
    rng: random.Random
    pool: ThreadPoolExecutor
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    in_flight: list[tuple[Future[Where | None], SimPerson, bool]] = field(default_factory=list)
    updates_since: int | None = None
    moments_in_flight: list[MomentsLogging] = field(default_factory=list)
    posts_seen: int = 0  # chat.postMessage calls _followups has looked through
    week_wins: list[tuple[SimPerson, str]] = field(default_factory=list)
    late: dict[PulseGroup, list[Answer]] = field(default_factory=lambda: defaultdict(list))

    # -- the week's timeline -----------------------------------------------------------

    def run_week(self, week: int, monday: datetime) -> None:
        """Every event of ``week`` (its Monday 00:00 UTC is ``monday``) in time order."""
        self.tally_calls()
        groups: dict[PulseGroup, list[SimPerson]] = defaultdict(list)
        for person in self.population.people:
            for offset in range(5):
                day = monday.date() + timedelta(days=offset)
                due = local_instant(day, DEFAULT_PULSE_TIME, person.tz)
                groups[PulseGroup(person.tz, due)].append(person)
        events: list[Event] = []
        for run in pulse_runs(list(groups), DEFAULT_CATCH_UP):
            covered = [g for g in groups if run - DEFAULT_CATCH_UP < g.due <= run]
            events.append((run, 0, partial(self._pulses, week, covered, groups)))
        windows = {g: g.reminder_window(DEFAULT_REMINDER_AFTER) for g in groups}
        for run in reminder_runs(list(windows.values())):
            hit = [g for g, (first, last) in windows.items() if first <= run <= last]
            events.append((run, 1, partial(self._reminders, hit)))
        events.append((monday + timedelta(hours=9), 2, partial(self._job, "digests")))
        planned: dict[int, list[str]] = defaultdict(list)
        for team in self.population.teams:
            for _ in range(self.rng.randint(*MOMENTS_PER_TEAM_WEEK)):
                planned[self.rng.randrange(5)].append(team)
        for offset in range(5):
            day = monday + timedelta(days=offset)
            teams = planned[offset]
            events.append((day + timedelta(hours=14), 3, partial(self._moments, week, teams)))
            events.append((day + timedelta(hours=17), 4, self._followups))
        events.append((monday + timedelta(days=4, hours=15), 5, self._celebrations))
        for night in range(7):
            events.append((monday + timedelta(days=night) + UPKEEP_AT, 6, self.upkeep))
        for at, _, action in sorted(events, key=lambda e: (e[0], e[1])):
            self.stack.clock.set(at)
            action()
        self._settle()
        self._settle_moments()

    def upkeep(self) -> None:
        """Every job the scheduler runs that the week does not time (windows, rollup...)."""
        self._settle()
        for name in upkeep_jobs():
            self._job(name)

    def tally_calls(self) -> None:
        """Count the Web API calls the app made, then clear the log (waiting on it stays fast)."""
        for call in self._calls():
            if call.ok:
                self.counts[call.method] += 1
        self.stack.emulator.reset_calls()
        self.posts_seen = 0

    def _calls(self) -> list[Any]:
        return [c for m in TALLIED for c in self.stack.emulator.calls_to(m)]

    def _job(self, name: str) -> dict[str, Any]:
        self.counts[f"job:{name}"] += 1
        return self.stack.run_job(name)

    def _settle(self) -> None:
        """Wait until people have finished tapping and the app has updated their DMs.

        Taps go on while the clock moves to the next group's pulse (people answer when
        they answer); what comes next may depend on them (a reminder only goes to people
        who have not answered; a digest counts the week), so those wait for this first.
        Then the few who add a note do.
        """
        if not self.in_flight:
            return
        taps, self.in_flight = self.in_flight, []
        since, self.updates_since = self.updates_since, None
        tapped = [(person, note, f.result()) for f, person, note in taps]
        answered = [(person, note, dm) for person, note, dm in tapped if dm is not None]
        self.counts["pulse answers"] += len(answered)
        wait_tap_replies(self.stack, len(answered), since or 0)
        writers = [(person, dm) for person, note, dm in answered if note]
        texts = [self.rng.choice(NOTES) for _ in writers]
        # A note is saved before its modal closes: nothing more to wait for.
        noted = [
            dm
            for dm in self.pool.map(
                self._add_note, [p for p, _ in writers], [dm for _, dm in writers], texts
            )
            if dm is not None
        ]
        self.counts["notes"] += len(noted)

    # -- pulses -----------------------------------------------------------------------------

    def _pulses(
        self,
        week: int,
        covered: list[PulseGroup],
        groups: dict[PulseGroup, list[SimPerson]],
    ) -> None:
        """Run ``pulses``; most people tap a face now, some only after the reminder."""
        self._job("pulses")
        now: list[Answer] = []
        for group in covered:
            for person in groups[group]:
                if self.rng.random() >= person.answer_rate:
                    continue
                answer = (person, self.population.score(person, week, self.rng), self._wants_note())
                if self.rng.random() < LATE_SHARE:
                    self.late[group].append(answer)
                else:
                    now.append(answer)
        self._answer(now)

    def _reminders(self, groups: list[PulseGroup]) -> None:
        """Run ``reminders``; the people who were waiting for a nudge answer."""
        self._settle()
        self._job("reminders")
        self._answer([a for g in groups for a in self.late.pop(g, [])])

    def _wants_note(self) -> bool:
        return self.rng.random() < NOTE_RATE

    def _answer(self, answers: list[Answer]) -> None:
        """Start tapping the face on each person's latest pulse DM (in parallel, as people do)."""
        if answers and self.updates_since is None:
            self.updates_since = tap_replies(self.stack)
        # People answer the pulse they have now, even if the tap lands after the next one.
        posted_by = self.stack.emulator.state.last_ts
        for person, score, note in answers:
            tap = self.pool.submit(self._tap, person, score, posted_by)
            self.in_flight.append((tap, person, note))

    def _pulse_message(self, user_id: str, posted_by: float) -> dict[str, Any] | None:
        """The person's newest pulse DM posted by ``posted_by`` (a message timestamp)."""
        return newest_in_dm(
            self.stack,
            user_id,
            block_id=ids.PULSE_MOOD_BLOCK,
            also=lambda m: float(m["ts"]) <= posted_by,
        )

    def _tap(self, person: SimPerson, score: int, posted_by: float) -> Where | None:
        """Tap ``score`` on the person's pulse DM; (channel, ts) of the DM if the app took it."""
        user_id = self.user_ids[person.name]
        message = self._pulse_message(user_id, posted_by)
        if message is None:
            return None
        reply = self.stack.actor_for(user_id).click(
            user_id, message=message, action_id=f"{ids.PULSE_SCORE}_{score}"
        )
        return where(self.stack, user_id, message) if reply.status == 200 else None

    def _add_note(self, person: SimPerson, answered: Where, text: str) -> Where | None:
        """ "Add a note" on the DM the person answered, then submit the modal it opens."""
        user_id = self.user_ids[person.name]
        actor = self.stack.actor_for(user_id)
        message = newest_in_dm(
            self.stack, user_id, action_id=ids.PULSE_NOTE, also=lambda m: m["ts"] == answered[1]
        )
        if message is None:
            return None
        view = open_view(
            self.stack,
            user_id,
            lambda: actor.click(user_id, message=message, action_id=ids.PULSE_NOTE),
            ids.PULSE_NOTE_VIEW,
        )
        reply = actor.submit_view(user_id, view, {ids.PULSE_NOTE_BLOCK: text})
        return where(self.stack, user_id, message) if reply.status == 200 else None
