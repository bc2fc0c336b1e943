"""Action, callback and block ids: one module, so handlers and views never drift apart."""

from __future__ import annotations

# App Home
HOME_REFRESH = "home_refresh"

# Customer moments → celebrations: the "Celebrate this" button on a win moment
# (value: the moment id). Posted by the moments feature, handled by celebrations.
CELEBRATE_MOMENT = "celebrate_moment"

# Admin (`/cx admin`): the settings modal, its blocks, and the digest-channel sub-modal.
ADMIN_VIEW = "admin_settings"
ADMIN_SAVED_VIEW = "admin_saved"
ADMIN_CELEBRATIONS = "admin_celebrations_channel"
ADMIN_LEAD_USERS = "admin_lead_users"
ADMIN_LEAD_GROUPS = "admin_lead_groups"
ADMIN_TEAM_GROUPS = "admin_team_groups"
ADMIN_PULSE_TIME = "admin_pulse_time"
ADMIN_WORKING_DAYS = "admin_working_days"
ADMIN_THRESHOLD = "admin_anonymity_threshold"
ADMIN_VALUES = "admin_company_values"
ADMIN_TOGGLES = "admin_toggles"
ADMIN_DIGEST_ADD = "admin_digest_add"
ADMIN_DIGEST_REMOVE = "admin_digest_remove"
ADMIN_DIGEST_VIEW = "admin_digest_channel"
DIGEST_CHANNEL = "digest_channel"
DIGEST_SCOPE = "digest_scope"
DIGEST_WEEKDAY = "digest_weekday"
DIGEST_TIME = "digest_time"
DIGEST_TIMEZONE = "digest_timezone"

# Lead replies to anonymous notes (`/cx notes`).
NOTE_REPLY = "note_reply"  # button on a note (value: note id)
NOTE_REPLY_VIEW = "note_reply_view"
NOTE_REPLY_TEXT = "note_reply_text"
NOTE_ANSWER = "note_answer_back"  # button in the author's DM (value: reply id)
NOTE_ANSWER_VIEW = "note_answer_view"
NOTE_ANSWER_TEXT = "note_answer_text"
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
