"""The digest's content, when it is due, and its once-per-channel-and-week claim."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.core.disclosure import Audience
from bot.digest.delivery import STALE_AFTER, claim_digest, claim_key, record_progress
from bot.digest.jobs import reported_week
from bot.digest.store import compute_digest
from bot.digest.views import build_digest_blocks
from bot.workspace.config import DigestChannel
from models import DigestSend
from models.db import make_sessionmaker
from tests.support import flowon_data as fd

WEEK = date(2026, 3, 9)
NOW = datetime(2026, 3, 16, 9, 5, tzinfo=UTC)


def test_reported_week_follows_the_channel_local_day_and_time() -> None:
    monday_9 = DigestChannel("#d", timezone="Europe/Berlin")
    # 07:59 UTC is 08:59 in Berlin: not yet.
    assert reported_week(monday_9, datetime(2026, 3, 16, 7, 59, tzinfo=UTC)) is None
    # On Monday last week is still open (answers for 48 h in every time zone): the digest
    # reports the newest closed week, the one before.
    before = WEEK - timedelta(weeks=1)
    assert reported_week(monday_9, datetime(2026, 3, 16, 8, 0, tzinfo=UTC)) == before
    # Missed runs catch up later in the week, on the same week; a new week reports the next.
    assert reported_week(monday_9, datetime(2026, 3, 20, 12, 0, tzinfo=UTC)) == before
    assert reported_week(monday_9, datetime(2026, 3, 23, 8, 0, tzinfo=UTC)) == WEEK
    # Due on Friday, last week has closed: it is the one reported.
    friday = DigestChannel("#d", weekday=4, local_time=time(16, 30), timezone="UTC")
    assert reported_week(friday, datetime(2026, 3, 19, 17, 0, tzinfo=UTC)) is None
    assert reported_week(friday, datetime(2026, 3, 20, 16, 30, tzinfo=UTC)) == WEEK


def test_digest_content_withholds_mood_below_threshold_and_escapes_stories(
    session: Session,
) -> None:
    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "support", 6)
    fd.pulse_week(session, ws, team, people, WEEK - timedelta(weeks=1), [3] * 5)
    fd.pulse_week(session, ws, team, people, WEEK, [4, 4, 4, 4])  # only four answered
    fd.moment(
        session,
        ws,
        team,
        WEEK,
        "win",
        customer="Acme <&> Co",
        what="<!here> saved it",
        backstory="their launch was @channel tomorrow",
        would_tell=True,
        sentiment=0.6,
    )
    fd.moment(
        session, ws, team, WEEK, "problem", customer="Globex", what="late refund", sentiment=-0.5
    )
    fd.celebration(session, ws, team, WEEK, ["teamwork", "ownership"])
    fd.celebration(session, ws, team, WEEK, ["teamwork"])
    session.commit()
    data = compute_digest(
        session,
        workspace_id=ws.id,
        week=WEEK,
        team=team,
        audience=Audience(5),
        now=datetime(2026, 3, 19, 9, tzinfo=UTC),  # WEEK has closed
        min_team_weeks=10,
    )
    assert data.this_week is not None
    assert data.this_week.mean_mood is None
    assert data.last_week is not None
    assert data.last_week.mean_mood == 3.0
    assert data.win_story is not None
    assert data.win_story.customer == "Acme <&> Co"
    assert data.problem_story is not None
    assert data.problem_story.customer == "Globex"
    assert data.top_values == [("teamwork", 2), ("ownership", 1)]
    assert data.sentiment_by_outcome == {"win": 0.6, "problem": -0.5}
    assert data.storyteller is not None
    assert data.storyteller.customer == "Acme <&> Co"
    text = str(build_digest_blocks(data))
    assert "fewer than 5 people answered" in text
    assert "Acme &lt;&amp;&gt; Co" in text
    assert "<!here>" not in text
    assert "@channel" not in text
    assert "invite them to the next all-hands" in text
    assert "#teamwork (2)" in text
    assert "Not enough data for a flow-on finding" in text
    assert "stories read neutral (+0.05; wins +0.60, problems -0.50)" in text


def test_a_channel_and_week_is_claimed_once(engine: Engine) -> None:
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        ws_id = fd.workspace(session).id
    args = {
        "workspace_id": ws_id,
        "key": claim_key("#cx-digest", None),
        "week": WEEK,
        "team_id": None,
    }
    first = claim_digest(sessions, claimed_by="a", now=NOW, **args)
    assert first is not None
    assert first.channel == "cx-digest"
    assert claim_digest(sessions, claimed_by="b", now=NOW, **args) is None
    # A claim abandoned by a crash is taken over once it is stale, by one claimer.
    later = NOW + STALE_AFTER
    taken = claim_digest(sessions, claimed_by="c", now=later, **args)
    assert taken is not None
    assert taken.claimed_by == "c"
    assert taken.attempts == 2
    assert claim_digest(sessions, claimed_by="d", now=later, **args) is None
    with sessions.begin() as session:
        record_progress(session, send_id=taken.id, status="sent")
    assert claim_digest(sessions, claimed_by="e", now=later + STALE_AFTER * 9, **args) is None
    # Another week, or the same channel for a team, is its own claim.
    assert claim_digest(sessions, claimed_by="f", now=NOW, **args | {"week": WEEK + timedelta(7)})
    assert claim_digest(sessions, claimed_by="g", now=NOW, **args | {"key": "cx-digest|support"})
    with sessions() as session:
        assert session.scalar(select(func.count(DigestSend.id))) == 3


def test_a_failed_send_is_retried_a_few_times_only(engine: Engine) -> None:
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        ws_id = fd.workspace(session).id
    args = {"workspace_id": ws_id, "key": "C1", "week": WEEK, "team_id": None, "now": NOW}
    send = claim_digest(sessions, claimed_by="a", **args)
    for attempt in (2, 3):
        assert send is not None
        with sessions.begin() as session:
            record_progress(session, send_id=send.id, status="failed", error="fatal_error")
        send = claim_digest(sessions, claimed_by="a", **args)
        assert send is not None
        assert send.attempts == attempt
    with sessions.begin() as session:
        record_progress(session, send_id=send.id, status="failed", error="fatal_error")
    assert claim_digest(sessions, claimed_by="a", **args) is None
