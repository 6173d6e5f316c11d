"""The names of the intents and slots that more than one part of the assistant uses: the action
server, the NLU components, the policies and the channels. They must match domain.yml (a test
checks that they do)."""

from __future__ import annotations

# Intents
RED_FLAG_INTENT = "report_red_flag"
POSSIBLE_RED_FLAG_INTENT = "possible_red_flag"
FALLBACK_INTENT = "nlu_fallback"
OTHER_LANGUAGE_INTENT = "other_language"
SESSION_START_INTENT = "session_start"

# Slots
DELETION_SLOT = "data_deletion_requested"
ALERT_LEVEL_SLOT = "alert_level"
TRIAGE_LEVEL_SLOT = "triage_level"
URGENT_CARE_SLOT = "urgent_care"
AGE_GROUP_SLOT = "age_group"
DANGER_SIGNS_SLOT = "danger_signs_now"
WALKTHROUGH_TOPIC_SLOT = "walkthrough_topic"
WALKTHROUGH_STEP_SLOT = "walkthrough_step"

# The referral (actions/referral.py, components/alert_policy.py)
REFERRAL_FORM = "referral_form"
REFERRAL_SLOTS = (
    "referral_consent",
    "referral_name",
    "referral_contact",
    "referral_time",
)
