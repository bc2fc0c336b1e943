"""The daily pulse: the DM at each person's time, the one-tap answer, reminders, settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import N_

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """The pulse DM's buttons, `/cx pause|resume|settings|forget-me`, the test pulse, jobs."""
    from bot.core import ids
    from bot.pulse import jobs
    from handlers import pulse, pulse_settings, test_pulse

    app = parts.app
    app.action(pulse.SCORE_ACTION)(pulse.handle_score)
    app.action(pulse.EXTRA_ACTION)(pulse.handle_extra)
    app.action(ids.PULSE_SKIP)(pulse.handle_skip)
    app.action(ids.PULSE_NOTE)(pulse.handle_note)
    app.view(ids.PULSE_NOTE_VIEW)(pulse.handle_note_submit)

    words = parts.commands
    words.add(
        "pause",
        pulse_settings.handle_pause_command,
        usage=N_("pause DAYS"),
        summary=N_("pause your daily pulse"),
        order=40,
    )
    words.add(
        "resume",
        pulse_settings.handle_resume_command,
        usage="resume",
        summary=N_("resume your daily pulse"),
        order=41,
    )
    words.add(
        "settings",
        pulse_settings.handle_settings_command,
        usage="settings",
        summary=N_("your pulse time, working days, opt out, language"),
        order=42,
    )
    words.add(
        "forget-me",
        pulse_settings.handle_forget_command,
        usage="forget-me",
        summary=N_("delete your pulse answers, notes and settings"),
        order=90,
        aliases=("forget", "forgetme"),
    )
    parts.home.add(pulse_settings.HOME_ORDER, pulse_settings.home_section)
    app.action(ids.HOME_PULSE_PAUSE)(pulse_settings.handle_pause_button)
    app.action(ids.HOME_PULSE_RESUME)(pulse_settings.handle_resume_button)
    app.action(ids.HOME_PULSE_SETTINGS)(pulse_settings.handle_settings_button)
    app.action(ids.HOME_PULSE_FORGET)(pulse_settings.handle_forget_button)
    app.view(ids.PULSE_SETTINGS_VIEW)(pulse_settings.handle_settings_submit)
    app.view(ids.PULSE_PAUSE_VIEW)(pulse_settings.handle_pause_submit)
    app.view(ids.PULSE_FORGET_VIEW)(pulse_settings.handle_forget_submit)

    app.action(ids.ADMIN_TEST_PULSE)(test_pulse.handle_send_test_pulse)
    app.action(test_pulse.TEST_ACTION)(test_pulse.handle_test_tap)

    parts.jobs.add(jobs.pulses)
    parts.jobs.add(jobs.reminders)
    parts.jobs.add(jobs.pulse_window)
