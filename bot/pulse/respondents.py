"""Pseudonymous respondent keys that change every period: one match never reveals a history.

A day's answer, note and second answer share the person's key for that ISO week (so
distinct respondents per week can still be counted); the next week's key is unrelated.
Monthly questions (eNPS, the experience gap) use a separate key per month. Without
CXPULSE_SECRET none of them can be tied to a person or to each other.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import date, timedelta


def _hmac(secret: str, message: str) -> str:
    if not secret:
        raise ValueError("CXPULSE_SECRET is required to key pulse answers")
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def iso_week(day: date) -> str:
    """``day``'s ISO week as "2026-W10"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def respondent_key(secret: str, slack_team_id: str, slack_user_id: str, *, day: date) -> str:
    """HMAC-SHA256(secret, "team:user:ISO week of day") as hex."""
    return _hmac(secret, f"{slack_team_id}:{slack_user_id}:{iso_week(day)}")


def monthly_key(secret: str, slack_team_id: str, slack_user_id: str, *, day: date) -> str:
    """The key for monthly questions: HMAC-SHA256(secret, "team:user:YYYY-MM:monthly")."""
    return _hmac(secret, f"{slack_team_id}:{slack_user_id}:{day:%Y-%m}:monthly")


def asked_trace(
    secret: str, slack_team_id: str, slack_user_id: str, *, day: date, question: str
) -> str:
    """That this person got ``question`` in ``day``'s month (no person in the row)."""
    return _hmac(secret, f"{slack_team_id}:{slack_user_id}:{day:%Y-%m}:asked:{question}")


def send_flag_trace(
    secret: str, slack_team_id: str, slack_user_id: str, *, day: date, kind: str
) -> str:
    """That this person's pulse of ``day`` was reminded or skipped (``kind``), no person."""
    return _hmac(secret, f"{slack_team_id}:{slack_user_id}:{day.isoformat()}:{kind}")


def week_keys(
    secret: str, slack_team_id: str, slack_user_id: str, *, since: date, until: date
) -> dict[str, date]:
    """The person's weekly keys from ``since`` to ``until``, each with its week's Monday."""
    keys: dict[str, date] = {}
    monday = since - timedelta(days=since.weekday())
    while monday <= until:
        keys[respondent_key(secret, slack_team_id, slack_user_id, day=monday)] = monday
        monday += timedelta(weeks=1)
    return keys


def month_starts(since: date, until: date) -> Iterable[date]:
    """The first day of every month from ``since``'s to ``until``'s."""
    month = since.replace(day=1)
    while month <= until:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


def erasure_marker(secret: str, slack_team_id: str, slack_user_id: str) -> str:
    """That this person was erased on request, for the directory sync to skip them."""
    return _hmac(secret, f"{slack_team_id}:{slack_user_id}:erased")
