"""The customer's page over real HTTP: the link from Slack, single use, CSRF, limits, headers."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.core import ids
from bot.stories.links import LINK_LIFETIME, new_token
from models import CustomerStory
from tests.support.stack import START, SandboxStack
from tests.support.stories import ask_for_link, fetch, log_a_moment

pytestmark = pytest.mark.stack(public_url="https://cx.example.test")

STAFF_TEXT = "Refund delayed twice; STAFF-ONLY note"


def _told(stack: SandboxStack) -> list[CustomerStory]:
    with stack.runtime.sessions() as session:
        rows = list(session.scalars(select(CustomerStory).where(CustomerStory.rating.is_not(None))))
        session.expunge_all()
    return rows


def _link(stack: SandboxStack) -> tuple[str, str]:
    user = stack.emulator.add_user(name="ada")["id"]
    confirmation = log_a_moment(
        stack, user, **{ids.MOMENT_WHAT: STAFF_TEXT, ids.MOMENT_OUTCOME: "problem"}
    )
    return user, ask_for_link(stack, user, confirmation)


def test_the_link_is_shown_only_to_its_asker_with_the_public_address(
    stack: SandboxStack,
) -> None:
    user, token = _link(stack)
    (posted,) = stack.emulator.responses
    assert posted.body["response_type"] == "ephemeral"
    assert f"https://cx.example.test/story/{token}" in str(posted.body["blocks"])
    assert stack.emulator.calls_to("chat.postMessage") == []  # never posted in a channel
    other = stack.emulator.add_user(name="bo")["id"]
    confirmation = next(m for m in stack.emulator.ephemerals if m.get("to_user") == user)
    stack.actor.click(other, message=confirmation, action_id=ids.STORY_ASK)
    refused = stack.emulator.wait_for("response_url", count=2)[-1]
    assert "Only the person who logged this moment" in refused.args["text"]


def test_the_page_asks_the_customer_and_shows_no_staff_text(stack: SandboxStack) -> None:
    _, token = _link(stack)
    page = fetch(stack, f"/story/{token}")
    assert page.status == 200
    assert "How did we do?" in page.text
    assert "a support conversation" in page.text
    assert "Refund" not in page.text
    assert "STAFF-ONLY" not in page.text
    for label in ('for="rating-1"', 'for="what_happened"', 'for="backstory"', 'for="consent"'):
        assert label in page.text
    assert "<script" not in page.text


def test_security_headers_on_every_answer(stack: SandboxStack) -> None:
    _, token = _link(stack)
    for path in (f"/story/{token}", "/story/nonsense", f"/story/{new_token('x')}"):
        headers = fetch(stack, path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "script-src" not in csp  # nothing may run
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"


def test_a_telling_is_kept_once_and_a_second_submit_changes_nothing(
    stack: SandboxStack,
) -> None:
    _, token = _link(stack)
    page = fetch(stack, f"/story/{token}")
    assert "HttpOnly" in page.headers["set-cookie"]
    assert "SameSite=Strict" in page.headers["set-cookie"]
    form = {
        "csrf": page.csrf,
        "rating": "2",
        "what_happened": "<b>We waited</b> & waited",
        "backstory": "Our launch was that day",
        "consent": "yes",
    }
    thanks = fetch(stack, f"/story/{token}", form=form, headers={"Cookie": page.cookie})
    assert thanks.status == 200
    assert "Thank you" in thanks.text
    again = dict(form, rating="5", what_happened="changed")
    second = fetch(stack, f"/story/{token}", form=again, headers={"Cookie": page.cookie})
    assert "already have your story" in second.text
    (story,) = _told(stack)
    assert (story.rating, story.what_happened, story.consent) == (
        2,
        "<b>We waited</b> & waited",
        True,
    )
    assert fetch(stack, f"/story/{token}").status == 200  # the used link says thank you
    assert "already have your story" in fetch(stack, f"/story/{token}").text


def test_a_form_without_its_csrf_pair_is_refused(stack: SandboxStack) -> None:
    _, token = _link(stack)
    page = fetch(stack, f"/story/{token}")
    form = {"csrf": page.csrf, "rating": "5", "what_happened": "forged"}
    no_cookie = fetch(stack, f"/story/{token}", form=form)
    wrong_cookie = fetch(
        stack, f"/story/{token}", form=form, headers={"Cookie": "cxpulse_story=someone-else"}
    )
    no_field = fetch(
        stack, f"/story/{token}", form={"rating": "5"}, headers={"Cookie": page.cookie}
    )
    assert [r.status for r in (no_cookie, wrong_cookie, no_field)] == [403, 403, 403]
    assert _told(stack) == []


def test_bad_answers_get_inline_errors_and_keep_what_was_typed(stack: SandboxStack) -> None:
    _, token = _link(stack)
    page = fetch(stack, f"/story/{token}")
    form = {"csrf": page.csrf, "what_happened": "<script>alert(1)</script>"}
    answer = fetch(stack, f"/story/{token}", form=form, headers={"Cookie": page.cookie})
    assert answer.status == 400
    assert "Please choose how we did" in answer.text
    assert 'role="alert"' in answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    assert "<script>" not in answer.text
    assert _told(stack) == []


def test_oversized_posts_are_refused(stack: SandboxStack) -> None:
    _, token = _link(stack)
    page = fetch(stack, f"/story/{token}")
    body = b"what_happened=" + b"x" * 40_000
    answer = fetch(stack, f"/story/{token}", body=body, headers={"Cookie": page.cookie})
    assert answer.status == 413
    assert _told(stack) == []


def test_expired_revoked_and_unknown_links_get_friendly_pages(stack: SandboxStack) -> None:
    user, token = _link(stack)
    assert fetch(stack, "/story/not-a-link").status == 404
    assert "find this page" in fetch(stack, f"/story/{new_token('x')}").text
    stack.clock.set(START + LINK_LIFETIME + timedelta(seconds=1))
    expired = fetch(stack, f"/story/{token}")
    assert (expired.status, "expired" in expired.text) == (410, True)
    stack.clock.set(START)
    (link_message,) = [m for m in stack.emulator.ephemerals if "story_revoke" in str(m)]
    stack.actor.click(user, message=link_message, action_id=ids.STORY_REVOKE)
    stack.emulator.wait_for("response_url", count=2)
    revoked = fetch(stack, f"/story/{token}")
    assert (revoked.status, "no longer active" in revoked.text) == (410, True)


def test_requests_are_rate_limited_per_link(stack: SandboxStack) -> None:
    _, token = _link(stack)
    statuses = [fetch(stack, f"/story/{token}").status for _ in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    other = fetch(stack, f"/story/{new_token('x')}")
    assert other.status == 404  # another link from the same address still answers


def test_the_token_never_reaches_the_logs(
    stack: SandboxStack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="handlers")
    caplog.set_level(logging.DEBUG, logger="waitress")
    _, token = _link(stack)
    page = fetch(stack, f"/story/{token}")
    form = {"csrf": page.csrf, "rating": "4", "consent": "yes"}
    fetch(stack, f"/story/{token}", form=form, headers={"Cookie": page.cookie})
    secret_part = token.split(".")[0]
    assert secret_part not in caplog.text
    assert all(secret_part not in str(r.args) for r in caplog.records)


def test_a_form_with_too_many_fields_gets_a_clear_400(stack: SandboxStack) -> None:
    _, token = _link(stack)
    page = fetch(stack, f"/story/{token}")
    body = "&".join(f"f{i}=x" for i in range(50)).encode()
    answer = fetch(stack, f"/story/{token}", body=body, headers={"Cookie": page.cookie})
    assert answer.status == 400
    assert "Open the link you were sent again" in answer.text
    assert _told(stack) == []
