"""Anonymous notes: a pulse answer's note, a lead's reply, the answer back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import N_

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Add `/cx notes` and the reply / answer-back listeners."""
    from bot.core import ids
    from bot.core.gates import ephemeral, leads_only, modal_error
    from handlers import notes

    for_leads = leads_only(ephemeral(notes.NOT_A_LEAD))

    parts.commands.add(
        "notes",
        notes.handle_notes_command,
        usage="notes",
        summary=N_("anonymous notes from your team (leads)"),
        order=60,
        gate=for_leads,
    )
    parts.app.action(ids.NOTE_REPLY, middleware=[for_leads])(notes.handle_reply_button)
    reply_gate = leads_only(modal_error(ids.NOTE_REPLY_TEXT, notes.NOT_A_LEAD))
    parts.app.view(ids.NOTE_REPLY_VIEW, middleware=[reply_gate])(notes.handle_reply_submit)
    parts.app.action(ids.NOTE_ANSWER)(notes.handle_answer_button)
    parts.app.view(ids.NOTE_ANSWER_VIEW)(notes.handle_answer_submit)
