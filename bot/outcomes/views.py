"""Block Kit (plain dicts) for the help-desk section of `/cx admin` and the one-time secret."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core import ids
from bot.core.text import escape

NO_KEY = "CXPULSE_SECRET is not set, so no webhook secret can be made."


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def admin_outcome_blocks(*, made_at: datetime | None) -> list[dict[str, Any]]:
    """The admin modal's help-desk section: what the webhook is and the secret's button."""
    if made_at is None:
        state, label = "No webhook secret yet.", "Create webhook secret"
    else:
        state = f"A webhook secret was made on {made_at:%Y-%m-%d}; it is never shown again."
        label = "Rotate webhook secret"
    return [
        {"type": "divider"},
        _section(
            "*Help desk (customers' own ratings)*\n"
            "Import an export with `cxpulse import outcomes FILE`, or point the help desk's "
            f"webhook at `POST /outcomes`, signed with this workspace's secret. {state}"
        ),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": ids.ADMIN_OUTCOMES_SECRET,
                    "text": {"type": "plain_text", "text": label},
                    **(
                        {}
                        if made_at is None
                        else {
                            "confirm": {
                                "title": {"type": "plain_text", "text": "Rotate the secret?"},
                                "text": {
                                    "type": "plain_text",
                                    "text": "The current secret stops working at once.",
                                },
                                "confirm": {"type": "plain_text", "text": "Rotate"},
                                "deny": {"type": "plain_text", "text": "Cancel"},
                            }
                        }
                    ),
                }
            ],
        },
    ]


def secret_view(secret: str, *, slack_team_id: str) -> dict[str, Any]:
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
        "title": {"type": "plain_text", "text": "Help-desk webhook"},
        "close": {"type": "plain_text", "text": "Done"},
        "blocks": [
            _section(
                "Copy this secret now: it is shown only this once (rotate it to get a new one)."
            ),
            _section(f"```{escape(secret)}```"),
            _section(
                "Sign each `POST /outcomes` with headers `X-CXPulse-Timestamp` (Unix seconds) "
                "and `X-CXPulse-Signature: v0=<hex HMAC-SHA256 of v0:<timestamp>:<body>>`:"
            ),
            _section(f"```{escape(example)}```"),
        ],
    }


def refusal_view(text: str) -> dict[str, Any]:
    """A clicked admin button, refused."""
    return {
        "type": "modal",
        "callback_id": ids.ADMIN_OUTCOMES_SECRET_VIEW,
        "title": {"type": "plain_text", "text": "Help-desk webhook"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [_section(escape(text))],
    }
