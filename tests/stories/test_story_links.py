"""One-time story links and the customer's telling, on real databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.moments.store import MomentDraft, log_moment
from bot.stories.links import (
    LINK_LIFETIME,
    AskRefusal,
    LinkState,
    StoryLink,
    ask_for_story,
    is_signed,
    new_token,
    revoke_story_links,
    token_hash,
)
from bot.stories.store import (
    StoryForm,
    Telling,
    open_story,
    shared_tellings,
    submit_story,
    tellings_for,
)
from bot.workspace.store import ensure_team, ensure_workspace
from models import CustomerOutcome, CustomerStory, Person, Workspace

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
SECRET = "test-secret-for-links"
FORM = StoryForm(
    rating="2", what_happened="We waited a week.", backstory="Launch day.", consent=True
)


def _setup(session: Session) -> tuple[Workspace, Person, Person, int]:
    ws = ensure_workspace(session, slack_team_id="T1", name="Acme")
    team = ensure_team(session, workspace=ws, name="Support")
    logger = Person(workspace_id=ws.id, slack_user_id="U1", tz="UTC", team_id=team.id)
    other = Person(workspace_id=ws.id, slack_user_id="U2", tz="UTC", team_id=team.id)
    session.add_all([logger, other])
    session.flush()
    draft = MomentDraft(
        new_customer_name="Globex",
        touchpoint="billing",
        outcome="problem",
        happened_on=NOW.date().isoformat(),
        what_happened="STAFF-ONLY: invoice sent twice, refund pending",
        backstory="STAFF-ONLY: guessed they were under pressure",
    )
    result = log_moment(session, workspace=ws, person=logger, draft=draft, now=NOW)
    assert result.moment is not None
    return ws, logger, other, result.moment.id


def _link(session: Session, ws: Workspace, person: Person, moment_id: int) -> StoryLink:
    link = ask_for_story(
        session, workspace=ws, person=person, moment_id=moment_id, secret=SECRET, now=NOW
    )
    assert isinstance(link, StoryLink)
    return link


def _told_with_consent(session: Session) -> tuple[Workspace, Person, Person, int]:
    """The logger asks for the story and the customer tells FORM, consenting to share it."""
    ws, logger, other, moment_id = _setup(session)
    link = _link(session, ws, logger, moment_id)
    submit_story(session, token=link.token, secret=SECRET, form=FORM, now=NOW)
    return ws, logger, other, moment_id


def test_tokens_are_random_signed_and_stored_only_as_hashes(session: Session) -> None:
    tokens = {new_token(SECRET) for _ in range(200)}
    assert len(tokens) == 200
    token = tokens.pop()
    random_part = token.split(".")[0]
    assert len(random_part) >= 22  # 16 bytes, base64url: 128 bits
    assert is_signed(token, SECRET)
    assert not is_signed(token, "another-secret")
    assert not is_signed(random_part + ".forged", SECRET)
    with session.begin():
        ws, logger, _, moment_id = _setup(session)
        link = _link(session, ws, logger, moment_id)
        stored = session.scalars(select(CustomerStory)).one()
        assert stored.token_hash == token_hash(link.token)
        assert link.token not in {str(v) for v in vars(stored).values()}
        assert stored.expires_at == NOW + LINK_LIFETIME


def test_only_the_logger_may_ask_and_revoke(session: Session) -> None:
    with session.begin():
        ws, logger, other, moment_id = _setup(session)
        refused = ask_for_story(
            session, workspace=ws, person=other, moment_id=moment_id, secret=SECRET, now=NOW
        )
        assert refused is AskRefusal.NOT_YOURS
        assert (
            ask_for_story(
                session, workspace=ws, person=logger, moment_id=999, secret=SECRET, now=NOW
            )
            is AskRefusal.UNKNOWN_MOMENT
        )
        link = _link(session, ws, logger, moment_id)
        assert (
            revoke_story_links(session, workspace=ws, person=other, moment_id=moment_id, now=NOW)
            is AskRefusal.NOT_YOURS
        )
        assert open_story(session, token=link.token, secret=SECRET, now=NOW).state is LinkState.OPEN


def test_the_page_shows_company_and_topic_never_staff_text(session: Session) -> None:
    with session.begin():
        ws, logger, _, moment_id = _setup(session)
        link = _link(session, ws, logger, moment_id)
        page = open_story(session, token=link.token, secret=SECRET, now=NOW)
    assert page.state is LinkState.OPEN
    assert page.company == "Acme"
    assert page.topic == "a billing question"
    assert "STAFF-ONLY" not in repr(page)


def test_link_states_expired_revoked_unknown_used(session: Session) -> None:
    with session.begin():
        ws, logger, _, moment_id = _setup(session)
        first = _link(session, ws, logger, moment_id)
        later = NOW + LINK_LIFETIME
        assert open_story(session, token=first.token, secret=SECRET, now=later).state is (
            LinkState.EXPIRED
        )
        assert submit_story(session, token=first.token, secret=SECRET, form=FORM, now=later) is (
            LinkState.EXPIRED
        )
        second = _link(session, ws, logger, moment_id)  # a new link stops the old one
        assert open_story(session, token=first.token, secret=SECRET, now=NOW).state is (
            LinkState.REVOKED
        )
        assert (
            revoke_story_links(session, workspace=ws, person=logger, moment_id=moment_id, now=NOW)
            == 1
        )
        assert open_story(session, token=second.token, secret=SECRET, now=NOW).state is (
            LinkState.REVOKED
        )
        third = _link(session, ws, logger, moment_id)
        unknown = new_token(SECRET)  # validly signed, never handed out
        assert open_story(session, token=unknown, secret=SECRET, now=NOW).state is (
            LinkState.UNKNOWN
        )
        told = submit_story(session, token=third.token, secret=SECRET, form=FORM, now=NOW)
        assert isinstance(told, Telling)
        assert told.rating == 2
        again = StoryForm(rating="5", what_happened="changed my mind", backstory="", consent=True)
        assert submit_story(session, token=third.token, secret=SECRET, form=again, now=NOW) is (
            LinkState.USED
        )
        kept = session.scalars(select(CustomerStory).where(CustomerStory.rating.is_not(None)))
        assert [(s.rating, s.what_happened) for s in kept] == [(2, "We waited a week.")]
        assert (
            ask_for_story(
                session, workspace=ws, person=logger, moment_id=moment_id, secret=SECRET, now=NOW
            )
            is AskRefusal.ALREADY_TOLD
        )


def test_bad_forms_change_nothing(session: Session) -> None:
    with session.begin():
        ws, logger, _, moment_id = _setup(session)
        link = _link(session, ws, logger, moment_id)
        for rating in (None, "0", "6", "x", "4.5"):
            bad = StoryForm(rating=rating, what_happened="hi", backstory="", consent=True)
            errors = submit_story(session, token=link.token, secret=SECRET, form=bad, now=NOW)
            assert isinstance(errors, dict)
            assert "rating" in errors
        long = StoryForm(rating="3", what_happened="x" * 3001, backstory="y" * 3001, consent=False)
        errors = submit_story(session, token=link.token, secret=SECRET, form=long, now=NOW)
        assert isinstance(errors, dict)
        assert set(errors) == {"what_happened", "backstory"}
        assert open_story(session, token=link.token, secret=SECRET, now=NOW).state is (
            LinkState.OPEN
        )


def test_without_consent_only_the_asker_sees_the_telling(session: Session) -> None:
    with session.begin():
        ws, logger, other, moment_id = _setup(session)
        link = _link(session, ws, logger, moment_id)
        private = StoryForm(rating="4", what_happened="Mine alone", backstory="", consent=False)
        assert isinstance(
            submit_story(session, token=link.token, secret=SECRET, form=private, now=NOW), Telling
        )
        assert moment_id in tellings_for(session, moment_ids=[moment_id], viewer=logger)
        assert tellings_for(session, moment_ids=[moment_id], viewer=other) == {}
        assert tellings_for(session, moment_ids=[moment_id], viewer=None) == {}
        week = shared_tellings(
            session, workspace_id=ws.id, start=NOW - timedelta(days=1), end=NOW + timedelta(days=1)
        )
        assert week == []


def test_shared_tellings_for_the_digest(session: Session) -> None:
    with session.begin():
        ws, _, other, moment_id = _told_with_consent(session)
        assert tellings_for(session, moment_ids=[moment_id], viewer=other)[moment_id].consent
        week = shared_tellings(
            session, workspace_id=ws.id, start=NOW - timedelta(days=1), end=NOW + timedelta(days=1)
        )
        assert [(name, t.what_happened) for name, t in week] == [("Globex", "We waited a week.")]
        outside = shared_tellings(
            session, workspace_id=ws.id, start=NOW + timedelta(days=1), end=NOW + timedelta(days=8)
        )
        assert outside == []


def test_the_rating_counts_as_a_customer_reported_outcome(session: Session) -> None:
    with session.begin():
        _, logger, _, _ = _told_with_consent(session)
        (outcome,) = session.scalars(select(CustomerOutcome))
        assert (outcome.source, outcome.kind, outcome.score, outcome.scaled) == (
            "story",
            "csat",
            2.0,
            0.25,
        )
        assert (outcome.person_id, outcome.team_id) == (logger.id, logger.team_id)
        assert outcome.week_start == date(2026, 3, 2)
        assert outcome.comment == "We waited a week."  # shared with consent
        assert outcome.customer == "Globex"


def test_without_consent_the_rating_counts_but_the_words_stay_private(session: Session) -> None:
    with session.begin():
        ws, logger, _, moment_id = _setup(session)
        link = _link(session, ws, logger, moment_id)
        private = StoryForm(rating="5", what_happened="Mine alone", backstory="", consent=False)
        submit_story(session, token=link.token, secret=SECRET, form=private, now=NOW)
        (outcome,) = session.scalars(select(CustomerOutcome))
        assert (outcome.score, outcome.comment) == (5.0, None)
