"""An attacker holding a database dump and nothing else (no CXPULSE_SECRET, no token key).

``dump`` reads every table as a dump would: each row with every column, in the order the
database hands them out without ORDER BY (SQLite: rowid or primary key order; PostgreSQL:
heap order, as pg_dump's COPY). The attacks then try to say who wrote each answer, note
and second answer. A guess is a person id; without a clue the attacker guesses at random
within the team, which is chance level.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Engine, MetaData, select

Row = dict[str, Any]
Dump = dict[str, list[Row]]
# Tables holding what someone felt or wrote.
TARGETS = ("pulse_answer", "pulse_note", "pulse_extra_answer")
# Questions asked once a month, to some people only.
MONTHLY = ("enps", "experience_gap")


def dump(engine: Engine) -> Dump:
    """Every table, every column, in the database's own order."""
    meta = MetaData()
    meta.reflect(engine)
    out: Dump = {}
    with engine.connect() as conn:
        for name, table in meta.tables.items():
            out[name] = [dict(r._mapping) for r in conn.execute(select(table))]
    return out


@dataclass(frozen=True)
class Target:
    """One row to attribute, with where it sits in its table's dump order."""

    table: str
    index: int
    row: Row


def targets(d: Dump) -> list[Target]:
    """The rows the attacker wants to name an author for."""
    return [Target(t, i, r) for t in TARGETS for i, r in enumerate(d.get(t, []))]


def _times(row: Row) -> list[datetime]:
    """Every instant in a row finer than a day (midnight-only values say nothing)."""
    found = []
    for value in row.values():
        if isinstance(value, datetime) and value.time() != time(0):
            found.append(value.replace(tzinfo=None))
    return found


def _day(row: Row) -> date | None:
    value = row.get("pulse_date")
    return value if isinstance(value, date) else None


class Attacker:
    """The attacks, sharing what the dump says about people, teams and sends."""

    def __init__(self, d: Dump, *, seed: int = 1) -> None:
        self.d = d
        self.rng = random.Random(seed)
        self.sends = d.get("pulse_send", [])
        self.people = {p["id"]: p for p in d.get("person", [])}
        self.team_of = {p["id"]: p.get("team_id") for p in d.get("person", [])}

    def _team_people(self, row: Row) -> list[int]:
        team = row.get("team_id")
        people = [pid for pid, t in self.team_of.items() if team is None or t == team]
        return sorted(people) or sorted(self.people)

    def _random(self, row: Row, among: list[int] | None = None) -> int:
        return self.rng.choice(among or self._team_people(row))

    def time_proximity(self, target: Target) -> int:
        """The person whose send instants (sent, reminded, claimed) sit closest before the row's."""
        when = _times(target.row)
        day = _day(target.row)
        best: tuple[float, int] | None = None
        if when:
            for send in self.sends:
                if day is not None and send.get("pulse_date") != day:
                    continue
                if target.row.get("team_id") not in (None, send.get("team_id")):
                    continue
                for sent in _times(send):
                    gap = min(abs((w - sent).total_seconds()) for w in when)
                    if best is None or gap < best[0]:
                        best = (gap, send["person_id"])
        return best[1] if best else self._random(target.row)

    def row_order(self, target: Target) -> int:
        """The k-th row of a day and team in dump order is the k-th person sent that day."""
        day, team = _day(target.row), target.row.get("team_id")
        same = [
            i
            for i, r in enumerate(self.d[target.table])
            if _day(r) == day and r.get("team_id") == team
        ]
        sends = sorted(
            (s for s in self.sends if s.get("pulse_date") == day and s.get("team_id") == team),
            key=lambda s: s["id"],
        )
        rank = same.index(target.index)
        if day is None or rank >= len(sends):
            return self._random(target.row)
        return int(sends[rank]["person_id"])

    def monthly_question(self, target: Target) -> int:
        """Who could have been asked this question on this day: narrow down, then guess."""
        return self._random(target.row, self.narrowed(target))

    def narrowed(self, target: Target) -> list[int]:
        """Everyone the dump leaves possible for a row, within its team.

        A daily row is someone sent a pulse that day. A monthly question (eNPS, the
        experience gap) went to whoever a send row still names with that question, or
        else to whoever got their first pulse of the month that day (eNPS is asked then).
        """
        key = target.row.get("question_key")
        day = _day(target.row)
        team = self._team_people(target.row)
        if day is None:
            return team
        if key in MONTHLY:
            asked = [
                s["person_id"]
                for s in self.sends
                if s.get("question_key") == key and s.get("pulse_date") == day
            ]
            if not asked:
                first: dict[int, date] = {}
                for s in self.sends:
                    d = s.get("pulse_date")
                    if d and (d.year, d.month) == (day.year, day.month):
                        first[s["person_id"]] = min(first.get(s["person_id"], d), d)
                asked = [p for p, d in first.items() if d == day]
        else:
            asked = [s["person_id"] for s in self.sends if s.get("pulse_date") == day]
        return sorted({p for p in asked if p in team}) or team

    def candidates(self, target: Target) -> int:
        """How many people the narrowing leaves for a row."""
        return len(self.narrowed(target))

    def key_candidates(self, rows: list[Target]) -> list[int]:
        """Who could hold a respondent key: asked on every day (and question) it answered."""
        possible = set(self._team_people(rows[0].row))
        for target in rows:
            possible &= set(self.narrowed(target))
        return sorted(possible) or self._team_people(rows[0].row)

    def linked(self, attack: Callable[[Target], int], rows: list[Target]) -> int:
        """Name the holder of one key: pinned if narrowing leaves one person, else the
        person the attack names most often among its rows (ties and no votes: a guess)."""
        possible = self.key_candidates(rows)
        if len(possible) == 1:
            return possible[0]
        votes = Counter(g for g in (attack(t) for t in rows) if g in possible)
        if not votes:
            return self.rng.choice(possible)
        top = max(votes.values())
        return self.rng.choice(sorted(p for p, n in votes.items() if n == top))


def by_key(rows: list[Target]) -> dict[str, list[Target]]:
    """Rows grouped by respondent key: everything one key links together."""
    out: dict[str, list[Target]] = defaultdict(list)
    for t in rows:
        out[str(t.row["respondent_key"])].append(t)
    return out


def chance_bound(probabilities: list[float]) -> float:
    """Hits a chance-level guesser exceeds with probability well under 1 in 10,000.

    Only for independent guesses: rows sharing a key are judged together (``by_key``),
    since a wrong or right pin moves all of them at once.
    """
    mean = sum(probabilities)
    var = sum(p * (1 - p) for p in probabilities)
    return mean + 4.0 * var**0.5 + 1.0


def by_table(rows: list[Target]) -> dict[str, list[Target]]:
    """Targets grouped by table."""
    out: dict[str, list[Target]] = defaultdict(list)
    for t in rows:
        out[t.table].append(t)
    return out


# The app's reminder delay: a pulse still unanswered this long after it went is reminded.
REMIND_AFTER_HOURS = 4


def _naive(value: object) -> datetime | None:
    return value.replace(tzinfo=None) if isinstance(value, datetime) else None


def _flagged(send: Row) -> bool:
    """Whether a send row says its person had not answered (reminded, skipped, errored)."""
    reminded = any(v is not None for k, v in send.items() if "remind" in k)
    skipped = send.get("status") == "skipped" and send.get("error") == "skip_today"
    return reminded or skipped


class FlagAttacker(Attacker):
    """Intersect per-person, per-day flags of send rows with the days a key answered.

    A reminded (or skipped) day means "had not answered by then"; a day whose reminder
    time had passed, without a reminder, means "had answered". A person fits a weekly
    key only if every day their flags speak of agrees with the days the key answered.
    """

    def __init__(self, d: Dump, *, seed: int = 1) -> None:
        super().__init__(d, seed=seed)
        instants = [t for s in self.sends for t in _times(s)]
        self.dumped_at = max(instants) if instants else None
        self.said: dict[tuple[int, date], bool] = {}
        for send in self.sends:
            day, person = send.get("pulse_date"), send.get("person_id")
            planned = _naive(send.get("scheduled_for"))
            if _flagged(send):
                self.said[(person, day)] = False
            elif (
                send.get("status") == "sent"
                and planned is not None
                and self.dumped_at is not None
                and planned.timestamp() + REMIND_AFTER_HOURS * 3600 <= self.dumped_at.timestamp()
            ):
                self.said[(person, day)] = True

    def flag_candidates(self, rows: list[Target]) -> list[int]:
        """Who could hold a key once the flags are intersected with the days it answered."""
        possible = self.key_candidates(rows)
        answered = {t.row["pulse_date"] for t in rows if t.table == "pulse_answer"}
        if not answered:
            return possible
        week = {t.row["week_start"] for t in rows if t.table == "pulse_answer"}
        fits = [
            person
            for person in possible
            if all(
                said == (day in answered)
                for (who, day), said in self.said.items()
                if who == person and _monday(day) in week
            )
        ]
        return fits or possible


def _monday(day: date) -> date:
    return date.fromordinal(day.toordinal() - day.weekday())
