"""A customer's e-mail and phone number, typed on the story page, reach no staff surface.

The telling goes in through the real page (GET, then the form POSTed with its CSRF pair),
then every surface that shows customer text to staff is read as staff read it: the
digest posted in its channel, `/cx customer NAME`, App Home, the outcome and moment
exports. Each shows the words with [email] and [phone] in place of the contact details.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.core import ids
from bot.insights.export import moment_rows, outcome_rows
from tests.support.stack import SandboxStack
from tests.support.stories import ask_for_link, fetch, log_a_moment

pytestmark = pytest.mark.stack(
    channels=("cx-digest",), digest_channels=("#cx-digest",), public_url="https://cx.example.test"
)

EMAIL = "jane.doe+cx@example.com"
PHONES = ("+1 415 555 2671", "020 7946 0958")
TOLD = f"Please write to {EMAIL} or call me on {PHONES[0]}; it took three weeks."
BACKSTORY = f"Our launch was that day (office line {PHONES[1]})."
STAFF = f"Called them back on {PHONES[0]} and fixed the login"
# The digest that reports the week of START: the Monday after that week has closed (a week
# closes the Thursday after it, so the Monday digest reports the week before last).
DIGEST_AT = datetime(2026, 3, 16, 9, 5, tzinfo=UTC)


def _assert_redacted(shown: str, *, where: str, told: bool = True) -> None:
    assert EMAIL not in shown, where
    for phone in PHONES:
        assert phone not in shown, where
    assert "[phone]" in shown, where
    if told:
        assert "[email]" in shown, where


def test_contact_details_a_customer_typed_are_redacted_on_every_staff_surface(
    stack: SandboxStack,
) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    confirmation = log_a_moment(
        stack,
        user,
        **{ids.MOMENT_WHAT: STAFF, ids.MOMENT_OUTCOME: "win", ids.MOMENT_WHEN: "2026-03-02"},
    )
    token = ask_for_link(stack, user, confirmation)
    page = fetch(stack, f"/story/{token}")
    form = {
        "csrf": page.csrf,
        "rating": "2",
        "what_happened": TOLD,
        "backstory": BACKSTORY,
        "consent": "yes",
    }
    thanks = fetch(stack, f"/story/{token}", form=form, headers={"Cookie": page.cookie})
    assert thanks.status == 200
    assert "Thank you" in thanks.text

    # The digest: the customer's own words, their comment as a help-desk quote, the win.
    result = stack.run_job("digests", DIGEST_AT)
    assert result[stack.emulator.team_id] == {"cx-digest": "sent"}
    (post,) = [c for c in stack.emulator.calls_to("chat.postMessage") if c.ok]
    digest = json.dumps(post.args["blocks"], ensure_ascii=False)
    assert "In their own words" in digest
    assert "it took three weeks" in digest  # the words themselves are shown
    _assert_redacted(digest, where="digest")
    assert digest.count("[phone]") >= 3  # own words, backstory, help-desk quote, the win

    # `/cx customer Globex`: the team's telling and the customer's beside it.
    reply = stack.actor.slash_command(user, "customer Globex")
    assert reply.json is not None
    timeline = json.dumps(reply.json["blocks"], ensure_ascii=False)
    assert "How they felt" in timeline
    _assert_redacted(timeline, where="/cx customer")

    # App Home: the person's own moments.
    assert stack.actor.app_home_opened(user).status == 200
    (home,) = stack.emulator.wait_for("views.publish")
    shown = json.dumps(home.args["view"], ensure_ascii=False)
    assert "Called them back on [phone]" in shown
    _assert_redacted(shown, where="App Home", told=False)

    # The exports analysts read: outcome comments and moments.
    with stack.runtime.sessions() as session:
        outcomes = json.dumps(outcome_rows(session), ensure_ascii=False, default=str)
        moments = json.dumps(moment_rows(session), ensure_ascii=False, default=str)
    _assert_redacted(outcomes, where="outcome export")
    _assert_redacted(moments, where="moment export", told=False)
