"""Every Web API method the emulator answers, registered in `HANDLERS`."""

from __future__ import annotations

from bot.sandbox import (  # noqa: F401  (imported for their @handler registrations)
    methods_conversations,
    methods_files,
    methods_people,
    methods_views,
)
from bot.sandbox.registry import HANDLERS

__all__ = ["HANDLERS"]
