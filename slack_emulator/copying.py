"""Copies of the emulator's messages and views, handed out so no one shares its state."""

from __future__ import annotations

import pickle
from typing import TypeVar

T = TypeVar("T")


def plain_copy(value: T) -> T:
    """A deep copy of JSON-like data (dicts, lists, strings, numbers).

    A pickle round trip is about four times faster than ``copy.deepcopy`` on a
    pulse DM (11 vs 43 µs), and the emulator copies a message on every post,
    update and read.
    """
    # Safe: only our own in-memory data is unpickled, never bytes from outside.
    copied: T = pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))  # noqa: S301
    return copied
