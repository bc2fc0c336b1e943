"""Action, callback and block ids: one module, so handlers and views never drift apart."""

from __future__ import annotations

# App Home
HOME_REFRESH = "home_refresh"

# Customer moments → celebrations: the "Celebrate this" button on a win moment
# (value: the moment id). Posted by the moments feature, handled by celebrations.
CELEBRATE_MOMENT = "celebrate_moment"

# Celebrations
CELEBRATE_SUGGEST = "celebrate_suggest"  # non-lead's "Suggest this to a lead" (value: text)
CELEBRATE_SUGGESTED = "celebrate_suggested"  # the lead's one-click "Celebrate" on a suggestion
CELEBRATE_MODAL = "celebrate_modal"  # callback_id of the celebrate modal
CELEBRATE_PEOPLE_BLOCK = "celebrate_people"
CELEBRATE_PEOPLE_ACTION = "celebrate_people_pick"
CELEBRATE_REASON_BLOCK = "celebrate_reason"
CELEBRATE_REASON_ACTION = "celebrate_reason_text"
CELEBRATE_VALUES_BLOCK = "celebrate_values"
CELEBRATE_VALUES_ACTION = "celebrate_values_pick"
