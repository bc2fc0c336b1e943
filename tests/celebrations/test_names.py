"""A plain `@name` in `/cx celebrate` (Slack left it unescaped), resolved through synced people."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.celebrations.names import resolve_names
from bot.celebrations.store import CelebrationError, check_celebration, parse_celebration
from bot.workspace.store import DirectoryUser, ensure_workspace, sync_people

VALUES = ("teamwork",)


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_celebration(text, company_values=VALUES)


def test_plain_names_are_parsed_as_names_not_text() -> None:
    parsed = parse("@alex and @Sam.Lee for the rescue, thanks @here #teamwork")
    assert parsed.names == ("alex", "Sam.Lee")
    assert parsed.people == ()
    assert parsed.reason_text == "the rescue, thanks @here"
    check_celebration(parsed, celebrated_by="ULEAD")  # names count as someone to celebrate


def test_an_email_or_escaped_markup_is_not_a_name() -> None:
    parsed = parse("<@U1> for answering ops@acme.test &lt;@U9&gt;")
    assert parsed.names == ()
    assert parsed.reason_text == "answering ops@acme.test <@U9>"


@pytest.fixture
def people(session: Session) -> Session:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        directory = [
            DirectoryUser("U1", "alex", "UTC"),
            DirectoryUser("U2", "Sam Lee", "UTC"),
            DirectoryUser("U3", "Jo Smith", "UTC"),
            DirectoryUser("U4", "Jo Brown", "UTC"),
            DirectoryUser("U5", "alex", "UTC", deleted=True),
        ]
        sync_people(session, workspace=ws, users=directory)
    return session


def test_names_resolve_to_the_one_person_they_name(people: Session) -> None:
    with people.begin():
        parsed = resolve_names(
            people, slack_team_id="T1", parsed=parse("@Alex @sam.lee for thanking @samlee")
        )
    assert parsed.people == ("U1", "U2")
    assert parsed.names == ()
    assert parsed.reason_text == "thanking @Sam Lee"


def test_an_ambiguous_name_is_answered_clearly(people: Session) -> None:
    with people.begin(), pytest.raises(CelebrationError) as error:
        resolve_names(people, slack_team_id="T1", parsed=parse("@jo for the save"))
    assert error.value.field == "people"
    message = str(error.value)
    assert "@jo" in message
    assert "<@U3>" in message
    assert "<@U4>" in message
    assert "@ menu" in message


def test_an_unknown_name_is_answered_clearly(people: Session) -> None:
    with people.begin(), pytest.raises(CelebrationError, match="anyone called @nobody"):
        resolve_names(people, slack_team_id="T1", parsed=parse("@nobody for the save"))


def test_text_without_names_is_left_alone(people: Session) -> None:
    parsed = parse("<@U9> for the save")
    with people.begin():
        assert resolve_names(people, slack_team_id="T1", parsed=parsed) is parsed
