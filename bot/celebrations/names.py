"""Matching the ``@names`` Slack left as text to the people they name.

A name Slack leaves as text (escaping off, or a display name with spaces) is matched
against the display names synced from Slack's directory, and a name that fits several
people is answered, never guessed. No Slack imports.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from babel.lists import format_list
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.celebrations.parse import CelebrationError, ParsedCelebration, with_people
from bot.core.i18n import Translator
from models import Person, Workspace

_FOLD = re.compile(r"[\s._'-]+")


def _fold(name: str) -> str:
    return _FOLD.sub("", name).casefold()


def _candidates(people: list[Person], name: str) -> list[Person]:
    """Whole display names first (spaces and dots ignored), then first names."""
    whole = [p for p in people if _fold(p.display_name) == _fold(name)]
    if whole:
        return whole
    return [p for p in people if _first(p.display_name) == _fold(name)]


def _first(display_name: str) -> str:
    """The first word of a display name: "Jo" of "Jo Smith" and of "jo.smith"."""
    words = _FOLD.split(display_name.strip())
    return words[0].casefold() if words else ""


def _nobody_called(name: str) -> Callable[[Translator], str]:
    return lambda t: t.gettext(
        "I don't know anyone called @%(name)s here. Pick them from Slack's @ menu as you "
        "type, so I know exactly who you mean.",
        name=name,
    )


def _could_be(name: str, people: list[Person]) -> Callable[[Translator], str]:
    mentions = [f"<@{p.slack_user_id}>" for p in people]
    return lambda t: t.gettext(
        "@%(name)s could be %(people)s. Pick the right person from Slack's @ menu as you "
        "type, and I'll celebrate them.",
        name=name,
        people=format_list(mentions, style="or", locale=t.locale),
    )


def resolve_names(
    session: Session, *, slack_team_id: str, parsed: ParsedCelebration
) -> ParsedCelebration:
    """``parsed`` with every typed ``@name`` as the one active person it names.

    Raises CelebrationError (for the people field) naming the candidates when a name fits
    several people, or saying so when it fits nobody.
    """
    if not parsed.names:
        return parsed
    people = list(
        session.scalars(
            select(Person)
            .join(Workspace, Person.workspace_id == Workspace.id)
            .where(Workspace.slack_team_id == slack_team_id, Person.active.is_(True))
            .order_by(Person.display_name, Person.slack_user_id)
        )
    )
    found: dict[str, tuple[str, str]] = {}
    for name in parsed.names:
        matches = _candidates(people, name)
        if not matches:
            raise CelebrationError(_nobody_called(name), field="people")
        if len(matches) > 1:
            raise CelebrationError(_could_be(name, matches[:5]), field="people")
        found[name] = (matches[0].slack_user_id, matches[0].display_name)
    return with_people(parsed, found)
