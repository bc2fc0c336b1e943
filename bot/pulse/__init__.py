"""The daily pulse: the DM at each person's time, the one-tap answer, reminders."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """The pulse DM's buttons, the note modal, the test pulse, the pulse jobs."""
    from bot.core import ids
    from bot.core.gates import admins_only, silently
    from bot.pulse import jobs
    from handlers import pulse

    app = parts.app
    app.action(pulse.SCORE_ACTION)(pulse.handle_score)
    app.action(pulse.EXTRA_ACTION)(pulse.handle_extra)
    app.action(ids.PULSE_SKIP)(pulse.handle_skip)
    app.action(ids.PULSE_NOTE)(pulse.handle_note)
    app.view(ids.PULSE_NOTE_VIEW)(pulse.handle_note_submit)

    app.action(ids.ADMIN_TEST_PULSE, middleware=[admins_only(silently)])(
        pulse.handle_send_test_pulse
    )
    app.action(pulse.TEST_ACTION)(pulse.handle_test_tap)

    parts.jobs.add(jobs.pulses)
    parts.jobs.add(jobs.reminders)
    parts.jobs.add(jobs.pulse_window)
