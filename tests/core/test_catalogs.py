"""The message catalogs: complete, never fuzzy, placeholders intact, in step with the code.

Parsed with Babel as the app reads them (bot/core/i18n.py). A string added to the code
without `make messages`, a translation left empty or fuzzy, or a translation that drops,
renames or adds a ``%(name)s`` placeholder fails here, naming the language and the msgid.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.dates import parse_pattern
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.core.i18n import DEFAULT_LANGUAGE, LOCALE_DIR, SUPPORTED

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [code for code in SUPPORTED if code != DEFAULT_LANGUAGE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# A bare % that is not a placeholder would make ``text % values`` fail at run time.
STRAY_PERCENT = re.compile(r"%(?!\(\w+\)[sd])")
DATE_PATTERNS = {"EEE d MMM", "EEE d MMM HH:mm", "EEEE d MMMM", "d MMMM y"}


def _catalog(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def _messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [str(message.id)]


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, (list, tuple)):
        return [str(s or "") for s in message.string]
    return [str(message.string or "")]


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _code_msgids() -> set[str]:
    """Every message marked in the code, extracted now as `make messages` does."""
    found: set[str] = set()
    for folder in ("bot", "handlers"):
        for _, _, message, _, _ in extract_from_dir(
            ROOT / folder,
            # The story page's templates too (babel.cfg), with Jinja2's own extractor.
            method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
            keywords={"gettext": None, "ngettext": (1, 2), "N_": None, "_": None},
        ):
            found.add(message[0] if isinstance(message, (list, tuple)) else message)
    return found


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_marked_string_is_in_the_catalog(language: str) -> None:
    in_catalog = {_ids(m)[0] for m in _messages(_catalog(language))}
    missing = sorted(_code_msgids() - in_catalog)
    assert missing == [], f"run `make messages` and translate: {missing[:5]}"


def untranslated(catalog: Catalog) -> list[str]:
    """Msgids with an empty translation (any plural form)."""
    return [_ids(m)[0] for m in _messages(catalog) if not all(_strings(m))]


def fuzzy(catalog: Catalog) -> list[str]:
    """Msgids whose translation is a guess (never shown: the app compiles without fuzzy)."""
    return [_ids(m)[0] for m in _messages(catalog) if m.fuzzy]


def placeholder_problems(catalog: Catalog) -> list[tuple[str, str]]:
    """(msgid, translation) where the placeholders differ, or a bare % would break formatting."""
    wrong = []
    for message in _messages(catalog):
        expected = set().union(*(_placeholders(i) for i in _ids(message)))
        for translation in _strings(message):
            if _placeholders(translation) != expected or STRAY_PERCENT.search(translation):
                wrong.append((_ids(message)[0], translation))
    return wrong


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_message_is_untranslated_or_fuzzy(language: str) -> None:
    catalog = _catalog(language)
    assert untranslated(catalog) == []
    assert fuzzy(catalog) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_messages_have_every_form_the_language_needs(language: str) -> None:
    catalog = _catalog(language)
    for message in _messages(catalog):
        if message.pluralizable:
            assert len(_strings(message)) == catalog.num_plurals, _ids(message)[0]


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_the_msgids_own(language: str) -> None:
    assert placeholder_problems(_catalog(language)) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translated_date_patterns_are_cldr_patterns_with_day_and_month(language: str) -> None:
    for message in _messages(_catalog(language)):
        if _ids(message)[0] in DATE_PATTERNS:
            fields = parse_pattern(_strings(message)[0]).format
            assert "%(d)s" in fields, (_ids(message)[0], fields)
            assert "%(M" in fields, (_ids(message)[0], fields)


def test_the_checks_catch_a_broken_catalog(tmp_path: Path) -> None:
    """Each check fails on a catalog that breaks it: none of them is vacuous."""
    text = (LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    broken = text.replace('msgstr "%(score)s sur 5, %(word)s"', 'msgstr "%(note)s sur 5"')
    broken = broken.replace('msgid "Cancel"', '#, fuzzy\nmsgid "Cancel"', 1)
    broken = broken.replace('msgstr "Fermer"', 'msgstr ""', 1)
    path = tmp_path / "messages.po"
    path.write_text(broken, encoding="utf-8")
    with path.open("rb") as po:
        catalog = read_po(po, locale="fr")
    assert placeholder_problems(catalog) == [("%(score)s of 5, %(word)s", "%(note)s sur 5")]
    assert fuzzy(catalog) == ["Cancel"]
    assert untranslated(catalog) == ["Close"]
