"""Attack: tie answers, notes and second answers to people from a database dump.

A team of thirteen over six time zones goes through a real working week (the real
pulse, reminder and every other job, hourly; real taps over signed HTTP), a newcomer
joins mid-week, leads get the experience-gap question and everyone eNPS. Then the
dump is attacked by time proximity, by row order and by who got the monthly questions:
row by row, then key by key (the rows a respondent key links are named together, by
the attack's most frequent guess, or pinned outright when who was asked leaves one
person). Each attack must do no better than guessing within the team, on SQLite and
PostgreSQL. Rows of one key are not independent guesses, so they are judged as one.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import date

from bot.demo.stack import SANDBOX_SECRET, SandboxStack
from tests.privacy.attacks import Attacker, Dump, Target, by_key, chance_bound, dump, targets
from tests.privacy.team import START, TEAM_SETTINGS, drive_week


def test_a_dump_ties_nothing_to_anyone_better_than_chance(db_url: str) -> None:
    with SandboxStack.start(db_url, now=START, migrate=False, **TEAM_SETTINGS) as stack:
        truth = drive_week(stack)
        d = dump(stack.runtime.sessions.kw["bind"])
        who = judge(d, stack.emulator.team_id)
    rows = targets(d)
    # The week really happened: answers, notes, second answers, monthly questions.
    assert len([t for t in rows if t.table == "pulse_answer"]) >= 40
    assert {t.table for t in rows} == {"pulse_answer", "pulse_note", "pulse_extra_answer"}
    assert {t.row["question_key"] for t in rows if t.table == "pulse_extra_answer"} >= {
        "enps",
        "experience_gap",
    }
    assert "UNEWCOMER" in truth.team
    team_of = {p["id"]: p["team_id"] for p in d["person"]}
    sizes = {t: list(team_of.values()).count(t) for t in set(team_of.values())}
    attacker = Attacker(d)
    attacks = {
        "time proximity": attacker.time_proximity,
        "row order": attacker.row_order,
        "monthly questions": attacker.monthly_question,
    }
    # Row by row: each guess on its own, against guessing within the team.
    row_bound = chance_bound([1 / sizes[team_of[who(t)]] for t in rows])
    row_hits = {name: sum(1 for t in rows if a(t) == who(t)) for name, a in attacks.items()}
    assert all(hits <= row_bound for hits in row_hits.values()), (row_hits, row_bound, len(rows))
    # Key by key: the rows a respondent key links, named together (one pin names them all).
    keys = by_key(rows)
    assert all(len({who(t) for t in linked}) == 1 for linked in keys.values())
    possible = {key: attacker.key_candidates(linked) for key, linked in keys.items()}
    # No key (a week's answers, or a month's monthly answers) narrows below three people.
    assert min(len(p) for p in possible.values()) >= 3, sorted(map(len, possible.values()))
    key_bound = chance_bound([1 / len(p) for p in possible.values()])
    key_hits = {
        name: sum(1 for linked in keys.values() if attacker.linked(a, linked) == who(linked[0]))
        for name, a in attacks.items()
    }
    assert all(hits <= key_bound for hits in key_hits.values()), (key_hits, key_bound, len(keys))
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
