"""A person's own settings: pause, resume, pulse time and days, language, forget-me."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import N_

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """`/cx pause|resume|settings|forget-me`, their App Home section, buttons and modals."""
    from bot.core import ids
    from handlers import settings

    words = parts.commands
    words.add(
        "pause",
        settings.handle_pause_command,
        usage=N_("pause DAYS"),
        summary=N_("pause your daily pulse"),
        order=40,
    )
    words.add(
        "resume",
        settings.handle_resume_command,
        usage="resume",
        summary=N_("resume your daily pulse"),
        order=41,
    )
    words.add(
        "settings",
        settings.handle_settings_command,
        usage="settings",
        summary=N_("your pulse time, working days, opt out, language"),
        order=42,
    )
    words.add(
        "forget-me",
        settings.handle_forget_command,
        usage="forget-me",
        summary=N_("delete your pulse answers, notes and settings"),
        order=90,
        aliases=("forget", "forgetme"),
    )
    parts.home.add(settings.HOME_ORDER, settings.home_section)
    app = parts.app
    app.action(ids.HOME_PULSE_PAUSE)(settings.handle_pause_button)
    app.action(ids.HOME_PULSE_RESUME)(settings.handle_resume_button)
    app.action(ids.HOME_PULSE_SETTINGS)(settings.handle_settings_button)
    app.action(ids.HOME_PULSE_FORGET)(settings.handle_forget_button)
    app.view(ids.PULSE_SETTINGS_VIEW)(settings.handle_settings_submit)
    app.view(ids.PULSE_PAUSE_VIEW)(settings.handle_pause_submit)
    app.view(ids.PULSE_FORGET_VIEW)(settings.handle_forget_submit)
