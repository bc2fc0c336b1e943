"""From a moment logged in Slack to the customer's page in a real browser and back to Slack."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from bot.core import ids
from tests.support.browser import chromium
from tests.support.stack import SandboxStack
from tests.support.stories import ask_for_link, log_a_moment

pytestmark = pytest.mark.stack(channels=("cx-digest",), digest_channels=("#cx-digest",))

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
# The digest of the week of START goes out the first Monday after that week closed.
DIGEST_TIME = datetime(2026, 3, 16, 9, 5, tzinfo=UTC)


def _link_for(stack: SandboxStack, user: str, customer: str) -> str:
    confirmation = log_a_moment(
        stack,
        user,
        **{ids.MOMENT_NEW_CUSTOMER: customer, ids.MOMENT_WHAT: "Team telling of " + customer},
    )
    return stack.server.url + "/story/" + ask_for_link(stack, user, confirmation)


def _tell_by_keyboard(driver: WebDriver, url: str, words: str, *, consent: bool) -> list[str]:
    """Fill the form with the keyboard alone; the ids focus visited, in order."""
    driver.get(url)
    visited = []
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)  # into the page: the first rating
    visited.append(driver.switch_to.active_element.get_attribute("id"))
    driver.switch_to.active_element.send_keys(Keys.SPACE)  # choose 1 …
    for _ in range(3):
        driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)  # … then move to 4
    driver.switch_to.active_element.send_keys(Keys.TAB)
    visited.append(driver.switch_to.active_element.get_attribute("id"))
    driver.switch_to.active_element.send_keys(words)
    driver.switch_to.active_element.send_keys(Keys.TAB)
    visited.append(driver.switch_to.active_element.get_attribute("id"))
    driver.switch_to.active_element.send_keys("Our launch was that week")
    driver.switch_to.active_element.send_keys(Keys.TAB)
    visited.append(driver.switch_to.active_element.get_attribute("id"))
    if consent:
        driver.switch_to.active_element.send_keys(Keys.SPACE)
    driver.switch_to.active_element.send_keys(Keys.TAB)
    visited.append(driver.switch_to.active_element.tag_name)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: "Thank you" in d.find_element(By.TAG_NAME, "h1").text)
    return visited


def test_a_customer_tells_it_in_a_browser_and_the_team_hears_it(stack: SandboxStack) -> None:
    ada = stack.emulator.add_user(name="ada")["id"]
    bo = stack.emulator.add_user(name="bo")["id"]
    shared = _link_for(stack, ada, "Initech")
    private = _link_for(stack, ada, "Globex")
    with chromium() as driver:
        order = _tell_by_keyboard(driver, shared, "You <b>saved</b> our launch", consent=True)
        assert order == ["rating-1", "what_happened", "backstory", "consent", "button"]
        _tell_by_keyboard(driver, private, "Only for Ada's eyes", consent=False)
        driver.get(shared)  # a second visit: the link is used, nothing more to send
        assert "already have your story" in driver.find_element(By.TAG_NAME, "body").text
        assert driver.find_elements(By.TAG_NAME, "form") == []

    def timeline(user: str, name: str) -> str:
        reply = stack.actor.slash_command(user, f"customer {name}")
        assert reply.json is not None
        return str(reply.json["blocks"])

    seen_by_bo = timeline(bo, "Initech")
    assert "How they felt" in seen_by_bo
    assert "(4/5)" in seen_by_bo
    assert "You &lt;b&gt;saved&lt;/b&gt; our launch" in seen_by_bo
    assert "Our launch was that week" in seen_by_bo
    assert "Only for Ada" not in timeline(bo, "Globex")
    assert "Only for Ada" in timeline(ada, "Globex")  # the asker alone sees it
    assert "shared only with you" in timeline(ada, "Globex")

    stack.run_job("digests", at=DIGEST_TIME)
    (digest,) = stack.emulator.wait_for("chat.postMessage")
    text = str(digest.args["blocks"])
    assert "In their own words" in text
    assert "You &lt;b&gt;saved&lt;/b&gt; our launch" in text
    assert "Only for Ada" not in text


def test_the_page_fits_a_phone_and_an_expired_link_says_so(stack: SandboxStack) -> None:
    ada = stack.emulator.add_user(name="ada")["id"]
    url = _link_for(stack, ada, "Initech")
    with chromium(width=375, height=812) as driver:
        driver.get(url)
        assert driver.find_element(By.TAG_NAME, "h1").text == "How did we do?"
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0
        submit = driver.find_element(By.CSS_SELECTOR, "button[type=submit]")
        assert submit.size["height"] >= 44  # a thumb-sized target
        stack.clock.set(datetime(2026, 3, 20, tzinfo=UTC))
        driver.get(url)
        assert "This link has expired" in driver.find_element(By.TAG_NAME, "h1").text
