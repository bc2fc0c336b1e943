"""The customer's page in every language over HTTP: Accept-Language, the link's lang, the switch.

Each translated page is compared with the English page of the same kind: no text the
English page shows (headings, labels, hints, errors, the thank-you and closed pages) may
be left in it, and the page says which language it is in (``<html lang>``,
Content-Language).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.core import ids
from bot.stories.links import new_token
from models import CustomerStory
from tests.support.stack import SandboxStack
from tests.support.stories import Page, ask_for_link, fetch, log_a_moment

# Browsers' Accept-Language for each language, as a person of that country sends it.
BROWSERS = {
    "fr": "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7",
    "de": "de-DE,de;q=0.9,en;q=0.5",
    "es": "es-ES,es;q=0.9",
    "pt_BR": "pt-BR,pt;q=0.9,en;q=0.8",
    "ja": "ja,en-US;q=0.9,en;q=0.8",
}
# Words written the same in English and in the language, correctly.
SAME_WORD = {"fr": {"excellent"}}
# The switch names each language in its own words on every page, English included.
SWITCH = {"English", "français", "Deutsch", "español", "português (Brasil)", "日本語"}


# The app with a public address for its links, on both backends.
pytestmark = pytest.mark.stack(public_url="https://cx.example.test")


def _texts(html: str) -> set[str]:
    """The page's visible text nodes (the stylesheet and the language switch left out)."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    nodes = {node.strip() for node in re.findall(r">([^<>]+)<", html)}
    return {n for n in nodes if re.search(r"[^\W\d_]", n) and n not in SWITCH}


def _english_left(language: str, page: Page, english: Page) -> set[str]:
    return _texts(english.text) & _texts(page.text) - SAME_WORD.get(language, set())


def _assert_language(page: Page, language: str) -> None:
    tag = language.replace("_", "-")
    assert f'<html lang="{tag}">' in page.text
    assert page.headers["content-language"] == tag


def _assert_translated(page: Page, status: int, language: str, english: Page) -> None:
    """``page`` answered ``status``, says it is in ``language`` and shows no text of the
    ``english`` page of its kind."""
    assert page.status == status
    _assert_language(page, language)
    assert _english_left(language, page, english) == set(), language


def _link(stack: SandboxStack, user: str, company_word: str = "") -> str:
    confirmation = log_a_moment(
        stack, user, **{ids.MOMENT_WHAT: "Fixed their import " + company_word}
    )
    return ask_for_link(stack, user, confirmation)


def _told(stack: SandboxStack) -> list[CustomerStory]:
    with stack.runtime.sessions() as session:
        rows = list(session.scalars(select(CustomerStory).where(CustomerStory.rating.is_not(None))))
        session.expunge_all()
    return rows


def test_every_page_follows_the_browser_s_language_with_no_english_left(
    stack: SandboxStack,
) -> None:
    ada = stack.emulator.add_user(name="ada")["id"]
    english_token = _link(stack, ada)
    english = fetch(stack, f"/story/{english_token}", headers={"Accept-Language": "en-GB"})
    english_errors = fetch(
        stack,
        f"/story/{english_token}",
        form={"csrf": english.csrf, "what_happened": "x" * 3001},
        headers={"Cookie": english.cookie},
    )
    english_closed = fetch(stack, f"/story/{new_token('another secret')}")
    english_thanks = fetch(
        stack,
        f"/story/{english_token}",
        form={"csrf": english.csrf, "rating": "4"},
        headers={"Cookie": english.cookie},
    )
    english_used = fetch(stack, f"/story/{english_token}")
    assert "How did we do?" in english.text
    assert "Please check these:" in english_errors.text
    assert "Thank you" in english_thanks.text
    assert "already have your story" in english_used.text
    _assert_language(english, "en")

    for language, header in BROWSERS.items():
        token = _link(stack, ada, language)
        asked = {"Accept-Language": header}
        form = fetch(stack, f"/story/{token}", headers=asked)
        _assert_translated(form, 200, language, english)

        # No rating and an answer too long: two inline errors, in the language.
        errors = fetch(
            stack,
            f"/story/{token}",
            form={"csrf": form.csrf, "what_happened": "<b>é</b>" + "x" * 3000},
            headers={"Cookie": form.cookie, **asked},
        )
        _assert_translated(errors, 400, language, english_errors)
        assert "&lt;b&gt;é&lt;/b&gt;" in errors.text  # still escaped, still kept

        closed = fetch(stack, f"/story/{new_token('another secret')}", headers=asked)
        _assert_translated(closed, 404, language, english_closed)

        thanks = fetch(
            stack,
            f"/story/{token}",
            form={"csrf": form.csrf, "rating": "5", "what_happened": "Très bien"},
            headers={"Cookie": form.cookie, **asked},
        )
        _assert_translated(thanks, 200, language, english_thanks)
        used = fetch(stack, f"/story/{token}", headers=asked)
        assert _english_left(language, used, english_used) == set(), language
    assert sorted(s.rating or 0 for s in _told(stack)) == [4, 5, 5, 5, 5, 5]


def test_the_japanese_page_reads_as_written(stack: SandboxStack) -> None:
    ada = stack.emulator.add_user(name="ada")["id"]
    page = fetch(stack, f"/story/{_link(stack, ada)}", headers={"Accept-Language": "ja-JP"})
    for wanted in (
        "私たちの対応はいかがでしたか？",
        "サポートとのやり取りについて",
        "2026年",
        "私の感想をチームと共有してもかまいません。",
        "送信する",
    ):
        assert wanted in page.text


def test_the_link_s_language_wins_and_the_switch_keeps_the_link(stack: SandboxStack) -> None:
    ada = stack.emulator.add_user(name="ada")["id"]
    token = _link(stack, ada)
    page = fetch(stack, f"/story/{token}?lang=de", headers={"Accept-Language": "ja"})
    _assert_language(page, "de")
    assert "Wie zufrieden waren Sie mit uns?" in page.text
    assert '<a href="?lang=de" aria-current="true">Deutsch</a>' in page.text
    switch = dict(re.findall(r'<a href="(\?lang=[\w]+)"[^>]*>([^<]+)</a>', page.text))
    assert sorted(switch.values()) == sorted(SWITCH)
    french = fetch(stack, f"/story/{token}?lang=fr", headers={"Accept-Language": "ja"})
    assert "?lang=fr" in switch
    assert french.status == 200
    _assert_language(french, "fr")
    # The form posts back to the address it was served from: the chosen language stays.
    assert 'action=""' in french.text
    thanks = fetch(
        stack,
        f"/story/{token}?lang=fr",
        form={"csrf": french.csrf, "rating": "3"},
        headers={"Cookie": french.cookie, "Accept-Language": "ja"},
    )
    assert (thanks.status, "<h1>Merci</h1>" in thanks.text) == (200, True)
    # A language we do not offer, or a query our links never make, falls back.
    odd = fetch(stack, f"/story/{token}?lang=xx", headers={"Accept-Language": "es"})
    _assert_language(odd, "es")
    many = "&".join(f"a{i}=1" for i in range(10))
    assert fetch(stack, f"/story/{token}?{many}").status == 200


def test_a_staff_member_s_language_goes_into_the_link(stack: SandboxStack) -> None:
    french = stack.emulator.add_user(name="amelie", locale="fr-FR")["id"]
    english = stack.emulator.add_user(name="ada", locale="en-US")["id"]
    stack.run_job("sync-users")
    french_link = _link(stack, french)
    english_link = _link(stack, english)
    posted = " ".join(str(r.body) for r in stack.emulator.responses)
    assert f"https://cx.example.test/story/{french_link}?lang=fr" in posted
    assert f"https://cx.example.test/story/{english_link}```" in posted
    page = fetch(stack, f"/story/{french_link}?lang=fr", headers={"Accept-Language": "en"})
    _assert_language(page, "fr")
