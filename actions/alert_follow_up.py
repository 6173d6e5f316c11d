"""What follows an alert: the session's alert level.

Pure Python with no Rasa imports, so the Rasa server and the action server can both read it.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from actions.red_flags import higher_level

ALERT_LEVEL_SLOT = "alert_level"
TRIAGE_LEVEL_SLOT = "triage_level"
URGENT_CARE_SLOT = "urgent_care"


def session_alert_level(slots: Mapping[str, Any]) -> Optional[str]:
    """The most serious alert given in this session, or None when there was none.

    `alert_level` is the record; `triage_level` counts too, because the Rasa server fills it
    from the red-flag detector's entity even when the action server is down, and the symptom
    check sets it when its screening questions escalate."""
    return higher_level(slots.get(ALERT_LEVEL_SLOT), slots.get(TRIAGE_LEVEL_SLOT))
