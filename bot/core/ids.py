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
ADMIN_LEADS_EVERYONE = "admin_leads_everyone"
ADMIN_TEAM_GROUPS = "admin_team_groups"
ADMIN_PULSE_TIME = "admin_pulse_time"
ADMIN_WORKING_DAYS = "admin_working_days"
ADMIN_THRESHOLD = "admin_anonymity_threshold"
ADMIN_VALUES = "admin_company_values"
ADMIN_TOGGLES = "admin_toggles"
ADMIN_HOLIDAYS = "admin_holidays"
ADMIN_LANGUAGE = "admin_language"
ADMIN_DIGEST_ADD = "admin_digest_add"
ADMIN_DIGEST_REMOVE = "admin_digest_remove"
ADMIN_DIGEST_VIEW = "admin_digest_channel"
ADMIN_OUTCOMES_SECRET = "admin_outcomes_secret"  # noqa: S105 - an action id
ADMIN_OUTCOMES_SECRET_VIEW = "admin_outcomes_secret_shown"  # noqa: S105 - a callback id
ADMIN_TEST_PULSE = "admin_test_pulse"  # "Send me a test pulse"
DIGEST_CHANNEL = "digest_channel"
DIGEST_SCOPE = "digest_scope"
DIGEST_WEEKDAY = "digest_weekday"
DIGEST_TIME = "digest_time"
DIGEST_TIMEZONE = "digest_timezone"
DIGEST_LANGUAGE = "digest_language"

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
# Daily pulse DM: buttons carry "send_id:value"; action ids end in the value so each is unique.
PULSE_MOOD_BLOCK = "pulse_mood"
PULSE_SCORE = "pulse_score"  # pulse_score_1 … pulse_score_5
PULSE_EXTRA_BLOCK = "pulse_extra_question"
PULSE_EXTRA = "pulse_extra"  # pulse_extra_0 … pulse_extra_10
PULSE_NOTE = "pulse_note"  # "Add a note" (value: send id)
PULSE_SKIP = "pulse_skip_today"  # "Skip today" (value: send id)
# The test pulse (`/cx admin`): each real pulse button's action id behind this prefix.
PULSE_TEST = "pulse_test"
PULSE_NOTE_VIEW = "pulse_note_view"
PULSE_NOTE_BLOCK = "pulse_note_text"
PULSE_NOTE_INPUT = "pulse_note_input"

# Pulse settings, pause and forget-me (modals, also opened from App Home)
PULSE_SETTINGS_VIEW = "pulse_settings_view"
PULSE_SETTINGS_TIME_BLOCK = "pulse_settings_time"
PULSE_SETTINGS_TIME = "pulse_settings_time_input"
PULSE_SETTINGS_DAYS_BLOCK = "pulse_settings_days"
PULSE_SETTINGS_DAYS = "pulse_settings_days_input"
PULSE_SETTINGS_OPT_OUT_BLOCK = "pulse_settings_opt_out"
PULSE_SETTINGS_OPT_OUT = "pulse_settings_opt_out_input"
PULSE_SETTINGS_LANGUAGE_BLOCK = "pulse_settings_language"
PULSE_SETTINGS_LANGUAGE = "pulse_settings_language_input"
PULSE_PAUSE_VIEW = "pulse_pause_view"
PULSE_PAUSE_BLOCK = "pulse_pause_days"
PULSE_PAUSE_DAYS = "pulse_pause_days_input"
PULSE_FORGET_VIEW = "pulse_forget_view"
PULSE_FORGET_DONE_VIEW = "pulse_forget_done_view"
SORRY_VIEW = "sorry_view"

# App Home pulse section buttons
HOME_PULSE_PAUSE = "home_pulse_pause"
HOME_PULSE_RESUME = "home_pulse_resume"
HOME_PULSE_SETTINGS = "home_pulse_settings"
HOME_PULSE_FORGET = "home_pulse_forget"
HOME_PULSE_BLOCK = "home_pulse_actions"
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
# On the confirmation of a moment whose story reads the other way (value: see
# bot/moments/logged_views.py).
MOMENT_CHANGE_OUTCOME = "moment_change_outcome"

# `/cx customer NAME`: the "More" button (value: "<customer id>:<offset>").
CUSTOMER_MORE = "customer_more"

# The follow-up DM's "Done" button (value: the moment id).
FOLLOWUP_DONE = "followup_done"

# The customer's own telling (one-time story links)
STORY_ASK = "story_ask"
STORY_REVOKE = "story_revoke"
