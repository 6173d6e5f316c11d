"""Tests for actions/alert_follow_up.py: the session's alert level."""

from __future__ import annotations

from typing import Any, Dict, Optional

import pytest

from actions.alert_follow_up import session_alert_level


@pytest.mark.parametrize(
    ("slots", "level"),
    [
        ({}, None),
        ({"alert_level": None, "triage_level": None}, None),
        ({"triage_level": "consultation"}, None),
        ({"triage_level": "self_care"}, None),
        ({"alert_level": "urgent"}, "urgent"),
        ({"triage_level": "urgent"}, "urgent"),
        ({"alert_level": "emergency", "triage_level": "urgent"}, "emergency"),
        # The Rasa server fills triage_level from the detector even with the action server down.
        ({"alert_level": "urgent", "triage_level": "emergency"}, "emergency"),
        ({"alert_level": "emergency", "triage_level": "consultation"}, "emergency"),
    ],
)
def test_the_sessions_alert_level_is_the_most_serious_recorded(
    slots: Dict[str, Any], level: Optional[str]
) -> None:
    assert session_alert_level(slots) == level
