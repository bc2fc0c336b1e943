"""Block Kit (plain dicts) for the help-desk section of `/cx admin` and the one-time secret,
in the admin's language (``t``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import format_date

from bot.core import ids
from bot.core.i18n import ENGLISH, N_, Translator
from bot.core.text import escape

TITLE = N_("Help-desk webhook")
NO_KEY = N_("CXPULSE_SECRET is not set, so no webhook secret can be made.")


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def admin_outcome_blocks(
    *, made_at: datetime | None, t: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """The admin modal's help-desk section: what the webhook is and the secret's button."""
    if made_at is None:
        state, label = t.gettext("No webhook secret yet."), t.gettext("Create webhook secret")
    else:
        made_on = format_date(made_at.date(), format="long", locale=t.locale)
        state = t.gettext(
            "A webhook secret was made on %(day)s; it is never shown again.", day=made_on
        )
        label = t.gettext("Rotate webhook secret")
    button: dict[str, Any] = {
        "type": "button",
        "action_id": ids.ADMIN_OUTCOMES_SECRET,
        "text": _plain(label),
    }
    if made_at is not None:
        button["confirm"] = {
            "title": _plain(t.gettext("Rotate the secret?")),
            "text": _plain(t.gettext("The current secret stops working at once.")),
            "confirm": _plain(t.gettext("Rotate")),
            "deny": _plain(t.gettext("Cancel")),
        }
    about = t.gettext(
        "*Help desk (customers' own ratings)*\n"
        "Import an export with `cxpulse import outcomes FILE`, or point the help desk's "
        "webhook at `POST /outcomes`, signed with this workspace's secret. %(state)s",
        state=state,
    )
    return [{"type": "divider"}, _section(about), {"type": "actions", "elements": [button]}]


def secret_view(secret: str, *, slack_team_id: str, t: Translator = ENGLISH) -> dict[str, Any]:
    """The secret, shown this once, with how to sign a request."""
    example = (
        'ts=$(date +%s); body=\'{"when":"2026-03-02","agent":"agent@example.com",'
        '"kind":"csat","score":5,"external_id":"ticket-1"}\'\n'
        'sig=$(printf \'v0:%s:%s\' "$ts" "$body" | openssl dgst -sha256 -hmac "$SECRET" '
        "| sed 's/^.* //')\n"
        f'curl -X POST "https://YOUR-HOST/outcomes?workspace={slack_team_id}" '
        "-H 'Content-Type: application/json' -H \"X-CXPulse-Timestamp: $ts\" "
        '-H "X-CXPulse-Signature: v0=$sig" -d "$body"'
    )
    return {
        "type": "modal",
        "callback_id": ids.ADMIN_OUTCOMES_SECRET_VIEW,
        "title": _plain(t.gettext(TITLE)),
        "close": _plain(t.gettext("Done")),
        "blocks": [
            _section(
                t.gettext(
                    "Copy this secret now: it is shown only this once (rotate it to get a new one)."
                )
            ),
            _section(f"```{escape(secret)}```"),
            _section(
                t.gettext(
                    "Sign each `POST /outcomes` with headers `X-CXPulse-Timestamp` (Unix "
                    "seconds) and `X-CXPulse-Signature: v0=<hex HMAC-SHA256 of "
                    "v0:<timestamp>:<body>>`:"
                )
            ),
            _section(f"```{escape(example)}```"),
        ],
    }


def refusal_view(message: str, t: Translator = ENGLISH) -> dict[str, Any]:
    """A clicked admin button, refused: ``message`` (a msgid) in the clicker's language."""
    return {
        "type": "modal",
        "callback_id": ids.ADMIN_OUTCOMES_SECRET_VIEW,
        "title": _plain(t.gettext(TITLE)),
        "close": _plain(t.gettext("Close")),
        "blocks": [_section(escape(t.gettext(message)))],
    }
