"""Each person's language: gettext catalogs (Babel-managed .po files) and CLDR formatting.

Messages are marked in the code with ``gettext``/``ngettext`` (or ``N_`` where the text is
defined before anyone's language is known) and carry named ``%(name)s`` placeholders, so a
translation may put the values wherever its grammar wants them. ``make messages`` extracts
them into bot/locale/messages.pot and merges that into each language's messages.po.

The .po files are read with Babel at first use and compiled in memory (cached per process):
no binary .mo file is kept in the repository or produced by a build step that a fresh
install, a test run or a container could forget.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import logging
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

logger = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LANGUAGE = "en"
# The languages a person can get, in the order the settings menu lists them.
SUPPORTED: tuple[str, ...] = ("en", "fr", "de", "es", "pt_BR", "ja")


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, where the reader is known."""
    return message


@lru_cache(maxsize=len(SUPPORTED))
def native_name(code: str) -> str:
    """A language in its own words ("français", "日本語"), for the settings menu.

    Looked up when first needed: CLDR's locale data takes a while to load at start-up.
    """
    return Locale.parse(code).get_display_name(code) or code


def language_for(slack_locale: str | None) -> str:
    """The supported language for a Slack locale: "fr-FR" → "fr", "pt-BR" → "pt_BR", else "en".

    Slack reports "es-LA" for Latin American Spanish: any Spanish maps to "es". Portuguese
    is offered as Brazilian only, so "pt-PT" gets it too (closer than English).
    """
    if not slack_locale:
        return DEFAULT_LANGUAGE
    code = slack_locale.replace("_", "-").split("-", 1)[0].lower()
    if code == "pt":
        return "pt_BR"
    return code if code in SUPPORTED else DEFAULT_LANGUAGE


def chosen_language(*, override: str | None, slack_locale: str | None) -> str:
    """The person's own choice in /cx settings when they made one, else Slack's language."""
    if override in SUPPORTED:
        return str(override)
    return language_for(slack_locale)


def _catalog_translations(language: str) -> gettext_module.NullTranslations:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return gettext_module.NullTranslations()  # the msgids are the English text
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy guess is never shown
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


@dataclass(frozen=True)
class Translator:
    """Messages, numbers and dates for one language."""

    language: str
    translations: gettext_module.NullTranslations

    @property
    def locale(self) -> Locale:
        """Babel's locale for CLDR formatting."""
        return Locale.parse(self.language)

    def gettext(self, message: str, **values: object) -> str:
        """``message`` in this language, its ``%(name)s`` placeholders filled from ``values``."""
        text = self.translations.gettext(message)
        if not values:
            return text
        try:
            return text % values
        except (KeyError, ValueError, TypeError):
            # tests/core/test_catalogs.py keeps this from happening; if a hand-edited
            # catalog slips through anyway, the person still gets the English message.
            logger.warning(
                "translation of %r in %s does not fit its values", message, self.language
            )
            return message % values

    def pgettext(self, context: str, message: str) -> str:
        """``message`` as meant in ``context``, where one English word needs two translations
        (a follow-up's "Done" is "Erledigt", a window's closing "Done" is "Fertig")."""
        return self.translations.pgettext(context, message)

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The plural form for ``n`` (the language's own rules); ``%(n)s`` is ``n`` formatted."""
        text = self.translations.ngettext(singular, plural, n)
        return text % {"n": self.number(n), **values}

    def number(self, value: float, *, decimals: int = 0) -> str:
        """``value`` as this language writes it: "3,7" in French, "3.7" in English."""
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, share: float) -> str:
        """A share (0.42) as this language writes a percentage: "42 %" in French, "42%"."""
        return format_percent(share, locale=self.locale)

    def day(self, value: date) -> str:
        """A day with its weekday: "Monday 6 December", "lundi 6 décembre", "12月6日月曜日"."""
        return format_date(value, format=self.gettext(N_("EEEE d MMMM")), locale=self.locale)

    def short_day(self, value: date) -> str:
        """A compact day: "Mon 6 Dec", "lun. 6 déc."."""
        return format_date(value, format=self.gettext(N_("EEE d MMM")), locale=self.locale)

    def day_of_month(self, value: date) -> str:
        """A day and its month, no weekday or year: "6 April", "6. April", "4月6日" (the
        Monday of a recent week, shown as "week of 6 April")."""
        return format_date(value, format=self.gettext(N_("d MMMM")), locale=self.locale)

    def short_day_of_month(self, value: date) -> str:
        """A compact day and month, for a chart's axis: "6 Apr", "6 avr.", "4/6"."""
        return format_date(value, format=self.gettext(N_("d MMM")), locale=self.locale)

    def month(self, value: date) -> str:
        """``value``'s month and year as the language names one: "March 2026", "März 2026",
        "marzo de 2026", "2026年3月" (CLDR's own pattern for the language)."""
        return format_skeleton("yMMMM", value, locale=self.locale)

    def date(self, value: date) -> str:
        """A day with its year, as a moment line shows it: "1 Mar 2026", "1 mars 2026",
        "2026年3月1日" (ISO stays for exports and other machine-readable places)."""
        return format_date(value, format=self.gettext(N_("d MMM y")), locale=self.locale)

    def day_and_time(self, value: datetime) -> str:
        """A compact day and time, in ``value``'s own time zone: "Mon 6 Dec 09:30"."""
        pattern = self.gettext(N_("EEE d MMM HH:mm"))
        return format_datetime(value, format=pattern, locale=self.locale, tzinfo=value.tzinfo)

    def weekday(self, index: int) -> str:
        """Monday (0) to Sunday (6), capitalised as a standalone label."""
        names = self.locale.days["stand-alone"]["wide"]
        return str(names[index])[:1].upper() + str(names[index])[1:]


@lru_cache(maxsize=len(SUPPORTED))
def translator(language: str) -> Translator:
    """The (cached) translator for ``language``; an unsupported one gets English."""
    code = language if language in SUPPORTED else DEFAULT_LANGUAGE
    return Translator(code, _catalog_translations(code))


ENGLISH = translator(DEFAULT_LANGUAGE)
