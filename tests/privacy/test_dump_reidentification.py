"""Attack: tie answers, notes and second answers to people from a database dump.

A team of thirteen over six time zones goes through a real working week (the real
pulse, reminder and every other job, hourly; real taps over signed HTTP), a newcomer
joins mid-week, leads get the experience-gap question and everyone eNPS; some skip a
day, some just do not answer (and are reminded). Then the dump is attacked by time
proximity, by row order, by who got the monthly questions, and by per-day flags (who
was reminded or skipped: "had not answered") intersected with the days each key answered:
row by row, then key by key (the rows a respondent key links are named together, by
the attack's most frequent guess, or pinned outright when who was asked leaves one
person). Each attack must do no better than guessing within the team, on SQLite and
PostgreSQL. Rows of one key are not independent guesses, so they are judged as one.
The dump is taken twice: mid-week, as a nightly backup would (answers still inside
their window), and once every window has closed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import date

from bot.demo.processes import SANDBOX_SECRET
from tests.support.attacks import (
    Attacker,
    Dump,
    FlagAttacker,
    Target,
    by_key,
    chance_bound,
    dump,
    targets,
)
from tests.support.stack import SandboxStack
from tests.support.team import START, TEAM_SETTINGS, drive_week

# Wednesday 02:00 UTC, when a nightly backup runs: three days of answers, none sealed yet.
MIDWEEK_HOUR = 62


def test_a_dump_ties_nothing_to_anyone_better_than_chance(db_url: str) -> None:
    with SandboxStack.start(db_url, now=START, migrate=False, **TEAM_SETTINGS) as stack:
        engine = stack.runtime.sessions.kw["bind"]
        backups: list[Dump] = []

        def nightly(hour: int) -> None:
            if hour == MIDWEEK_HOUR:
                backups.append(dump(engine))

        truth = drive_week(stack, after_hour=nightly)
        final = dump(engine)
        team_id = stack.emulator.team_id
    rows = targets(final)
    # The week really happened: answers, notes, second answers, monthly questions.
    assert len([t for t in rows if t.table == "pulse_answer"]) >= 40
    assert {t.table for t in rows} == {"pulse_answer", "pulse_note", "pulse_extra_answer"}
    assert {t.row["question_key"] for t in rows if t.table == "pulse_extra_answer"} >= {
        "enps",
        "experience_gap",
    }
    assert "UNEWCOMER" in truth.team
    assert truth.skipped  # some days were skipped ("skip today"), others just not answered
    (midweek,) = backups
    # The mid-week backup holds answers still inside their window, in no sealed order.
    assert len(targets(midweek)) >= 40
    assert not any(t.row["sealed"] for t in targets(midweek))
    attack_at_chance(final, judge(final, team_id))
    attack_at_chance(midweek, judge(midweek, team_id), frontier=True)


def attack_at_chance(d: Dump, who: Callable[[Target], int], *, frontier: bool = False) -> None:
    """Every attack, row by row and key by key, does no better than guessing in the team.

    ``frontier``: the dump was taken while a local day had begun in some time zones only,
    so that day's rows can only be from people there (a known limit, in the README): a
    key with such a row may narrow to them, and is judged against guessing among them.
    """
    rows = targets(d)
    attacker = Attacker(d)
    attacks = {
        "time proximity": attacker.time_proximity,
        "row order": attacker.row_order,
        "monthly questions": attacker.monthly_question,
    }
    # Row by row: each guess on its own, against guessing among those the dump leaves
    # possible (the team, less anyone not asked that day).
    row_bound = chance_bound([1 / attacker.candidates(t) for t in rows])
    row_hits = {name: sum(1 for t in rows if a(t) == who(t)) for name, a in attacks.items()}
    assert all(hits <= row_bound for hits in row_hits.values()), (row_hits, row_bound, len(rows))
    # Key by key: the rows a respondent key links, named together (one pin names them all).
    keys = by_key(rows)
    assert all(len({who(t) for t in linked}) == 1 for linked in keys.values())
    possible = {key: attacker.key_candidates(linked) for key, linked in keys.items()}
    # No key (a week's answers, or a month's monthly answers) narrows below three people,
    # but for the day only some time zones had reached when the dump was taken.
    newest = max(t.row["pulse_date"] for t in rows)
    narrow = [key for key, p in possible.items() if len(p) < 3]
    if frontier:
        assert all(any(t.row["pulse_date"] == newest for t in keys[key]) for key in narrow)
    else:
        assert not narrow, sorted(map(len, possible.values()))
    key_bound = chance_bound([1 / len(p) for p in possible.values()])
    key_hits = {
        name: sum(1 for linked in keys.values() if attacker.linked(a, linked) == who(linked[0]))
        for name, a in attacks.items()
    }
    assert all(hits <= key_bound for hits in key_hits.values()), (key_hits, key_bound, len(keys))
    # Per-day flags (reminded, skipped) intersected with the days each key answered
    # narrow no key below three people beyond what "asked that day" already does.
    flags = FlagAttacker(d)
    narrowed = {key: flags.flag_candidates(linked) for key, linked in keys.items()}
    worse = sorted(len(narrowed[k]) for k in keys if len(narrowed[k]) < min(3, len(possible[k])))
    print(f"flag attack: {len(keys)} keys, {worse.count(1)} to one person, {worse.count(2)} to two")
    assert not worse, (worse, len(keys))
    # No monthly answer narrows down to fewer than three people.
    monthly = [t for t in rows if t.row.get("question_key") in ("enps", "experience_gap")]
    assert min(attacker.candidates(t) for t in monthly) >= 3


def _hmac(message: str) -> str:
    return hmac.new(SANDBOX_SECRET.encode(), message.encode(), hashlib.sha256).hexdigest()


def judge(d: Dump, team_id: str) -> Callable[[Target], int]:
    """Who really wrote a row: the judge holds the secret and tries every key scheme."""
    keys: dict[str, int] = {}
    days = {
        r["pulse_date"]
        for t in ("pulse_answer", "pulse_note", "pulse_extra_answer")
        for r in d.get(t, [])
    }
    for person in d["person"]:
        user = person["slack_user_id"]
        keys[_hmac(f"{team_id}:{user}")] = person["id"]  # the old, never-changing key
        for day in days | {date(2026, 3, n) for n in range(1, 8)}:
            year, wk, _ = day.isocalendar()
            keys[_hmac(f"{team_id}:{user}:{year}-W{wk:02d}")] = person["id"]
            keys[_hmac(f"{team_id}:{user}:{day:%Y-%m}:monthly")] = person["id"]

    def truth(target: Target) -> int:
        return keys[target.row["respondent_key"]]

    return truth
