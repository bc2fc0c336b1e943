"""A customer whose browser speaks Japanese gets the story page in Japanese, in a real browser."""

from __future__ import annotations

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from bot.core import ids
from models import CustomerStory
from tests.support.browser import chromium
from tests.support.stack import SandboxStack
from tests.support.stories import ask_for_link, log_a_moment


def test_a_japanese_browser_gets_the_page_in_japanese_and_can_tell_its_story(
    stack: SandboxStack,
) -> None:
    ada = stack.emulator.add_user(name="ada")["id"]
    confirmation = log_a_moment(stack, ada, **{ids.MOMENT_WHAT: "Fixed the import"})
    url = stack.server.url + "/story/" + ask_for_link(stack, ada, confirmation)
    assert "?lang=" not in url  # an English-speaking asker: the browser chooses
    with chromium(language="ja") as driver:
        driver.get(url)
        assert driver.execute_script("return navigator.languages[0]") == "ja"
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja"
        assert driver.find_element(By.TAG_NAME, "h1").text == "私たちの対応はいかがでしたか？"
        assert driver.find_element(By.TAG_NAME, "button").text == "送信する"
        legend = driver.find_element(By.TAG_NAME, "legend").text
        assert legend.startswith("評価")
        assert "How" not in driver.page_source
        current = driver.find_element(By.CSS_SELECTOR, "nav a[aria-current]")
        assert current.text == "日本語"

        driver.find_element(By.ID, "rating-4").click()
        driver.find_element(By.ID, "what_happened").send_keys(
            "サポートの対応がとても早くて助かりました"
        )
        driver.find_element(By.ID, "consent").click()
        driver.find_element(By.TAG_NAME, "button").click()
        # The old page's heading goes stale while the new one loads: keep asking.
        WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda d: d.find_element(By.TAG_NAME, "h1").text == "ありがとうございました"
        )
        assert "ご感想はチームに届きました。" in driver.page_source
    with stack.runtime.sessions() as session:
        (story,) = session.scalars(select(CustomerStory).where(CustomerStory.rating.is_not(None)))
        assert (story.rating, story.what_happened, story.consent) == (
            4,
            "サポートの対応がとても早くて助かりました",
            True,
        )
