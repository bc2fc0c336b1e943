"""Action, callback and block ids: one module, so handlers and views never drift apart."""

from __future__ import annotations

# App Home
HOME_REFRESH = "home_refresh"
