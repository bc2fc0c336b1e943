"""Customer text as staff may see it: e-mail addresses and phone numbers taken out.

What a customer wrote (their own telling on the story page, a help-desk comment, a name
the help desk sent) reaches staff on many surfaces: the weekly digest, `/cx customer`,
App Home, the telling beside the team's, quotes of outcome comments. Every one of them
shows it through :func:`redact`, and only through it (tests/test_structure.py checks),
so a customer's contact details never travel further than the help desk that has them.
Phone numbers are recognised by ``phonenumbers`` (Google's libphonenumber rules), not
by a guess at digits: order numbers, amounts and dates stay.
"""

from __future__ import annotations

import re

import phonenumbers

EMAIL = "[email]"
PHONE = "[phone]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Where a phone number could be: a run of at least 6 digits with the usual separators.
# Only these runs go to the (slower) matcher, so a long text costs little.
_DIGIT_RUN = re.compile(r"\+?\(?\d[\d\s().\-/]{4,}\d")
# National formats are read as in these regions (the app's languages' main markets);
# a number written with its +country code is recognised whatever the region.
REGIONS = ("US", "GB", "FR", "DE", "ES", "BR", "JP", "IN")


def redact(text: str) -> str:
    """``text`` with every e-mail address replaced by [email] and phone number by [phone]."""
    text = _EMAIL.sub(EMAIL, text)
    return _DIGIT_RUN.sub(_phone_in_run, text)


def redact_optional(text: str | None) -> str | None:
    """:func:`redact` for a value that may be absent."""
    return None if text is None else redact(text)


def _phone_in_run(run: re.Match[str]) -> str:
    candidate = run.group(0)
    spans: list[tuple[int, int]] = []
    for region in REGIONS:
        for found in phonenumbers.PhoneNumberMatcher(
            candidate, region, leniency=phonenumbers.Leniency.VALID
        ):
            spans.append((found.start, found.end))
    if not spans:
        return candidate
    out, at = [], 0
    for start, end in sorted(spans):
        if end <= at:
            continue
        out.append(candidate[at : max(start, at)])
        out.append(PHONE)
        at = end
    out.append(candidate[at:])
    return "".join(out)
