"""Choosing the story page's language: the link's ``lang``, else Accept-Language, else English."""

from __future__ import annotations

import pytest

from bot.stories.language import from_accept_language, page_language, with_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("de-AT", "de"),
        ("es-419,es;q=0.9", "es"),
        ("pt-BR,pt;q=0.9,en;q=0.5", "pt_BR"),
        ("pt", "pt_BR"),
        ("pt-PT", "pt_BR"),
        ("ja", "ja"),
        ("ja-JP,ja;q=0.9", "ja"),
        ("en-GB,en;q=0.9", "en"),
        # Quality decides, not the order written.
        ("en;q=0.3, de;q=0.9", "de"),
        # The first supported one, skipping what we cannot offer.
        ("it-IT,it;q=0.9,nl;q=0.8,fr;q=0.7", "fr"),
        # q=0 means "not this one".
        ("ja;q=0, es;q=0.5", "es"),
    ],
)
def test_the_browser_s_preference_among_the_supported_languages(header: str, expected: str) -> None:
    assert from_accept_language(header) == expected


@pytest.mark.parametrize("header", [None, "", "it,nl;q=0.5", "*", "zz-ZZ", "ja;q=0", ";;;,"])
def test_no_supported_language_in_the_header_means_none(header: str | None) -> None:
    assert from_accept_language(header) is None
    assert page_language(query=None, accept_language=header) == "en"


def test_the_link_s_language_wins_over_the_browser_s() -> None:
    assert page_language(query="de", accept_language="ja") == "de"
    assert page_language(query="pt-BR", accept_language="ja") == "pt_BR"
    assert page_language(query="pt_BR", accept_language=None) == "pt_BR"
    # A language we do not offer (or garbage) in the link falls back to the browser.
    assert page_language(query="it", accept_language="ja") == "ja"
    assert page_language(query="<script>", accept_language="fr") == "fr"
    assert page_language(query="x" * 500, accept_language=None) == "en"


def test_a_link_carries_a_language_other_than_english() -> None:
    assert with_language("https://cx.test/story/a.b", "fr") == "https://cx.test/story/a.b?lang=fr"
    assert with_language("https://cx.test/story/a.b", "pt_BR").endswith("?lang=pt_BR")
    assert with_language("https://cx.test/story/a.b", "en") == "https://cx.test/story/a.b"
