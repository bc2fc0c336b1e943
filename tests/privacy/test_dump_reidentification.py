"""Attack: tie answers, notes and second answers to people from a database dump.

A team of thirteen over six time zones goes through a real working week (the real
pulse, reminder and every other job, hourly; real taps over signed HTTP), a newcomer
joins mid-week, leads get the experience-gap question and everyone eNPS. Then the
dump is attacked by time proximity, by row order and by who got the monthly questions,
each helped by key linkage (one pinned row names every row sharing its key). Each
attack must do no better than guessing within the team — on SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import date

from bot.demo.stack import SANDBOX_SECRET, SandboxStack
from tests.privacy.attacks import Attacker, Dump, Target, chance_bound, dump, targets
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
    team_size = {p["id"]: p["team_id"] for p in d["person"]}
    sizes = {t: list(team_size.values()).count(t) for t in set(team_size.values())}
    chance = [1 / sizes[team_size[who(t)]] for t in rows]
    attacker = Attacker(d)
    results = {}
    for name, attack in (
        ("time proximity", attacker.time_proximity),
        ("row order", attacker.row_order),
        ("monthly questions", attacker.monthly_question),
    ):
        linked = attacker.with_linkage(attack)
        results[name] = sum(1 for t in rows if linked(t) == who(t))
    bound = chance_bound(chance)
    assert all(hits <= bound for hits in results.values()), (results, bound, len(rows))
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
