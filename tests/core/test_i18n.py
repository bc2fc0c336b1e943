"""bot/core/i18n.py: Slack locales to languages, the person's choice, plurals, CLDR formats."""

from __future__ import annotations

import gettext
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.i18n import SUPPORTED, Translator, chosen_language, language_for, translator
from bot.pulse.views import ANSWERED_TEXT


@pytest.mark.parametrize(
    ("slack_locale", "language"),
    [
        ("fr-FR", "fr"),
        ("fr-CA", "fr"),
        ("de-DE", "de"),
        ("es-ES", "es"),
        ("es-LA", "es"),
        ("pt-BR", "pt_BR"),
        ("ja-JP", "ja"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("ko-KR", "en"),
        ("zh-CN", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_slack_locales_map_to_supported_languages(slack_locale: str | None, language: str) -> None:
    assert language_for(slack_locale) == language


def test_the_persons_own_choice_wins_over_slack() -> None:
    assert chosen_language(override="de", slack_locale="fr-FR") == "de"
    assert chosen_language(override=None, slack_locale="fr-FR") == "fr"
    # A code no longer supported falls back to Slack's language, never to an error.
    assert chosen_language(override="xx", slack_locale="ja-JP") == "ja"


def test_messages_are_translated_with_named_placeholders() -> None:
    assert translator("fr").gettext(ANSWERED_TEXT).startswith("Merci, c'est noté !")
    assert translator("ja").gettext("%(score)s of 5, %(word)s", score=4, word="よい") == (
        "5段階中 4、よい"
    )
    assert translator("en").gettext("%(score)s of 5, %(word)s", score=4, word="good") == (
        "4 of 5, good"
    )


def test_unsupported_language_gets_english() -> None:
    assert translator("xx").language == "en"
    assert translator("xx").gettext(ANSWERED_TEXT) == ANSWERED_TEXT


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        ("en", {0: "🔥 Streak: 0 days", 1: "🔥 Streak: 1 day", 2: "🔥 Streak: 2 days"}),
        # French counts 0 as singular; Japanese has a single form.
        ("fr", {0: "🔥 Série : 0 jour", 1: "🔥 Série : 1 jour", 2: "🔥 Série : 2 jours"}),
        ("de", {1: "🔥 Serie: 1 Tag", 5: "🔥 Serie: 5 Tage"}),
        ("ja", {1: "🔥 連続記録:1日", 7: "🔥 連続記録:7日"}),
        ("fr", {1200: "🔥 Série : 1\u202f200 jours"}),
    ],
)
def test_plurals_follow_each_languages_rules(language: str, counts: dict[int, str]) -> None:
    t = translator(language)
    for n, expected in counts.items():
        assert t.ngettext("🔥 Streak: %(n)s day", "🔥 Streak: %(n)s days", n) == expected


def test_numbers_and_dates_are_written_the_local_way() -> None:
    assert translator("fr").number(3.74, decimals=1) == "3,7"
    assert translator("de").number(3.74, decimals=1) == "3,7"
    assert translator("en").number(3.74, decimals=1) == "3.7"
    assert translator("fr").percent(0.42) == "42\xa0%"
    assert translator("de").percent(0.42) == "42\xa0%"
    assert translator("en").percent(0.42) == "42%"
    monday = date(2027, 12, 6)
    assert translator("fr").day(monday) == "lundi 6 décembre"
    assert translator("de").day(monday) == "Montag, 6. Dezember"
    assert translator("es").day(monday) == "lunes, 6 de diciembre"
    assert translator("pt_BR").day(monday) == "segunda-feira, 6 de dezembro"
    assert translator("ja").day(monday) == "12月6日月曜日"
    assert translator("en").day(monday) == "Monday 6 December"
    at = datetime(2027, 12, 6, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert translator("fr").day_and_time(at) == "lun. 6 déc. à 09:30"
    assert translator("en").day_and_time(at) == "Mon 6 Dec 09:30"


def test_a_moment_lines_date_has_its_year_written_the_local_way() -> None:
    day = date(2026, 3, 1)
    shown = {language: translator(language).date(day) for language in SUPPORTED}
    assert shown == {
        "en": "1 Mar 2026",
        "fr": "1 mars 2026",
        "de": "1. März 2026",
        "es": "1 mar 2026",
        "pt_BR": "1 de mar. de 2026",
        "ja": "2026年3月1日",
    }


def test_weekdays_are_capitalised_labels_in_every_language() -> None:
    assert [translator(code).weekday(0) for code in SUPPORTED] == [
        "Monday",
        "Lundi",
        "Montag",
        "Lunes",
        "Segunda-feira",
        "月曜日",
    ]


def test_catalogs_are_read_once_per_process() -> None:
    assert translator("fr") is translator("fr")


def test_a_translation_that_does_not_fit_its_values_falls_back_to_english() -> None:
    broken = gettext.NullTranslations()
    broken.gettext = lambda message: "%(nope)s sur 5"  # type: ignore[method-assign]
    t = Translator("fr", broken)
    assert t.gettext("%(score)s of 5, %(word)s", score=4, word="good") == "4 of 5, good"
