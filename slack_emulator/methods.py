"""Every Web API method the emulator answers, registered in `HANDLERS`."""

from __future__ import annotations

from slack_emulator import (  # noqa: F401  (imported for their @handler registrations)
    methods_apps,
    methods_conversations,
    methods_files,
    methods_people,
    methods_views,
)
from slack_emulator.registry import HANDLERS

__all__ = ["HANDLERS"]
