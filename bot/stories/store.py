"""The customer's telling of a moment: what their page shows, keeping what they tell (once),
and the tellings the team may read. Making, revoking and checking links: links.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.i18n import N_
from bot.core.weeks import week_start
from bot.stories.links import LinkState, find_link, link_state
from models import CustomerMoment, CustomerOutcome, CustomerStory, Person, Workspace

TELLING_MAX = 3000
# The page's lead sentence names the moment with one of these (translated on the page).
TOPICS = {
    "support": N_("a support conversation"),
    "sales": N_("a conversation with our sales team"),
    "onboarding": N_("getting started with us"),
    "success": N_("a check-in with our customer success team"),
    "billing": N_("a billing question"),
    "other": N_("a recent conversation"),
}


@dataclass(frozen=True)
class StoryPage:
    """What the customer's page may show: the company and the topic, never staff text."""

    state: LinkState
    company: str = ""
    topic: str = ""
    happened_on: date | None = None


@dataclass(frozen=True)
class StoryForm:
    """The customer's answers as submitted (raw; validated by :func:`submit_story`)."""

    rating: str | None
    what_happened: str
    backstory: str
    consent: bool


@dataclass(frozen=True)
class Telling:
    """A customer's telling as the team sees it."""

    moment_id: int
    rating: int | None
    what_happened: str
    backstory: str
    consent: bool
    told_on: date


def open_story(session: Session, *, token: str, secret: str, now: datetime) -> StoryPage:
    """What the page for ``token`` shows now."""
    story = find_link(session, token, secret)
    state = link_state(story, now)
    if story is None or state is not LinkState.OPEN:
        return StoryPage(state=state)
    moment = session.get(CustomerMoment, story.moment_id)
    workspace = session.get(Workspace, story.workspace_id)
    if moment is None or workspace is None:
        return StoryPage(state=LinkState.UNKNOWN)
    return StoryPage(
        state=state,
        company=workspace.name,
        topic=TOPICS.get(moment.touchpoint, TOPICS["other"]),
        happened_on=moment.happened_on,
    )


def check_form(form: StoryForm) -> dict[str, str]:
    """Problems with the customer's answers, by field; empty when all is well.

    Each is an English msgid (``%(limit)s`` for the length limit), translated on the page.
    """
    errors: dict[str, str] = {}
    rating = (form.rating or "").strip()
    if rating not in {"1", "2", "3", "4", "5"}:
        errors["rating"] = N_("Please choose how we did, from 1 (very poor) to 5 (excellent).")
    if len(form.what_happened) > TELLING_MAX:
        errors["what_happened"] = N_("Please keep this under %(limit)s characters.")
    if len(form.backstory) > TELLING_MAX:
        errors["backstory"] = N_("Please keep this under %(limit)s characters.")
    return errors


def submit_story(
    session: Session, *, token: str, secret: str, form: StoryForm, now: datetime
) -> Telling | LinkState | dict[str, str]:
    """Keep the customer's telling once: the telling when kept, else why not.

    The link's state when it is not open; the problems by field when the form is not
    right. A conditional UPDATE keeps a link single-use even under two simultaneous submits.
    """
    story = find_link(session, token, secret)
    state = link_state(story, now)
    if story is None or state is not LinkState.OPEN:
        return state
    errors = check_form(form)
    if errors:
        return errors
    rating = int(str(form.rating).strip())
    result = session.execute(
        update(CustomerStory)
        .where(
            CustomerStory.id == story.id,
            CustomerStory.submitted_at.is_(None),
            CustomerStory.revoked_at.is_(None),
            CustomerStory.expires_at > now,
        )
        .values(
            submitted_at=now,
            rating=rating,
            what_happened=form.what_happened.strip(),
            backstory=form.backstory.strip(),
            consent=form.consent,
        )
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return LinkState.USED  # the other submit won
    _record_rating(session, story=story, rating=rating, form=form, now=now)
    return Telling(
        moment_id=story.moment_id,
        rating=rating,
        what_happened=form.what_happened.strip(),
        backstory=form.backstory.strip(),
        consent=form.consent,
        told_on=now.date(),
    )


def tellings_for(
    session: Session, *, moment_ids: list[int], viewer: Person | None
) -> dict[int, Telling]:
    """Tellings of these moments that ``viewer`` may see: shared ones, or ones they asked for."""
    if not moment_ids:
        return {}
    rows = session.scalars(
        select(CustomerStory).where(
            CustomerStory.moment_id.in_(moment_ids), CustomerStory.submitted_at.is_not(None)
        )
    )
    seen: dict[int, Telling] = {}
    for story in rows:
        asked = viewer is not None and story.requested_by_id == viewer.id
        if not (story.consent or asked) or story.submitted_at is None:
            continue
        seen[story.moment_id] = Telling(
            moment_id=story.moment_id,
            rating=story.rating,
            what_happened=story.what_happened,
            backstory=story.backstory,
            consent=story.consent,
            told_on=story.submitted_at.date(),
        )
    return seen


def shared_tellings(
    session: Session,
    *,
    workspace_id: int,
    start: datetime,
    end: datetime,
    team_id: int | None = None,
) -> list[tuple[str, Telling]]:
    """Tellings shared with consent between ``start`` and ``end``: (customer name, telling).

    With ``team_id``, only tellings of that team's moments.
    """
    query = (
        select(CustomerStory, CustomerMoment)
        .join(CustomerMoment, CustomerMoment.id == CustomerStory.moment_id)
        .where(
            CustomerStory.workspace_id == workspace_id,
            CustomerStory.consent.is_(True),
            CustomerStory.submitted_at >= start,
            CustomerStory.submitted_at < end,
        )
        .order_by(CustomerStory.submitted_at.desc(), CustomerStory.id.desc())
    )
    if team_id is not None:
        query = query.where(CustomerMoment.team_id == team_id)
    rows = session.execute(query).all()
    return [
        (
            moment.customer.name,
            Telling(
                moment_id=moment.id,
                rating=story.rating,
                what_happened=story.what_happened,
                backstory=story.backstory,
                consent=True,
                told_on=story.submitted_at.date() if story.submitted_at else start.date(),
            ),
        )
        for story, moment in rows
    ]


def _record_rating(
    session: Session, *, story: CustomerStory, rating: int, form: StoryForm, now: datetime
) -> None:
    """The customer's rating is a customer-reported outcome of the team that logged it.

    Their words go with it only with consent: outcome comments can be quoted in digests.
    """
    moment = session.get(CustomerMoment, story.moment_id)
    if moment is None:
        return
    person = session.get(Person, moment.person_id) if moment.person_id else None
    session.add(
        CustomerOutcome(
            workspace_id=story.workspace_id,
            source="story",
            external_id=f"story:{story.id}",
            happened_at=now,
            happened_on=now.date(),
            week_start=week_start(now.date()),
            kind="csat",
            score=float(rating),
            scaled=(rating - 1) / 4,
            agent_ref=person.slack_user_id if person else "",
            person_id=moment.person_id,
            team_id=moment.team_id,
            customer=moment.customer.name,
            comment=(form.what_happened.strip() or None) if form.consent else None,
        )
    )
