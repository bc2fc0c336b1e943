"""Action, callback and block ids: one module, so handlers and views never drift apart."""

from __future__ import annotations

# App Home
HOME_REFRESH = "home_refresh"

# Customer moments → celebrations: the "Celebrate this" button on a win moment
# (value: the moment id). Posted by the moments feature, handled by celebrations.
CELEBRATE_MOMENT = "celebrate_moment"
