"""Action, callback and block ids: one module, so handlers and views never drift apart."""

from __future__ import annotations

# App Home
HOME_REFRESH = "home_refresh"

# Customer moments → celebrations: the "Celebrate this" button on a win moment
# (value: the moment id). Posted by the moments feature, handled by celebrations.
CELEBRATE_MOMENT = "celebrate_moment"

# Customer moments: the modal, how it is opened, and its fields (block ids; each
# input's action_id is the block id with "_input").
MOMENT_SHORTCUT = "log_customer_moment"  # message shortcut callback id (app.yaml)
MOMENT_MODAL = "moment_modal"  # view callback id
HOME_LOG_MOMENT = "home_log_moment"  # App Home button
MOMENT_CUSTOMER = "moment_customer"
MOMENT_NEW_CUSTOMER = "moment_new_customer"
MOMENT_TOUCHPOINT = "moment_touchpoint"
MOMENT_OUTCOME = "moment_outcome"
MOMENT_WHEN = "moment_when"
MOMENT_WHAT = "moment_what"
MOMENT_BACKSTORY = "moment_backstory"
MOMENT_CSAT = "moment_csat"
MOMENT_FOLLOWUP = "moment_followup"
MOMENT_STORY = "moment_story"

# `/cx customer NAME`: the "More" button (value: "<customer id>:<offset>").
CUSTOMER_MORE = "customer_more"

# The follow-up DM's "Done" button (value: the moment id).
FOLLOWUP_DONE = "followup_done"
