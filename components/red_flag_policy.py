"""A dialogue policy that makes sure a red flag is escalated even when no rule can match.

The rules in data/rules/red_flags.yml escalate red flags in every ordinary conversation. They
need the conversation to be in a known state, though: if the custom session start failed
because the action server is down, the first message arrives in a state no rule was written
for, and RulePolicy would only fall back. This policy does not depend on that state: after a
`report_red_flag` message it predicts the escalation sequence itself. Its priority is below
RulePolicy's, so wherever a rule matches, the rule decides (and predicts the same actions).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import (
    ACTION_DEACTIVATE_LOOP_NAME,
    ACTION_EXTRACT_SLOTS,
    ACTION_LISTEN_NAME,
)
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.scripted_policy import ScriptedPolicy
from core.names import RED_FLAG_INTENT

ESCALATION = "utter_red_flag_escalation"
FOLLOW_UP = "action_explain_red_flag"
# Just below RulePolicy, so that a matching rule decides; confidence still beats RulePolicy's
# low-confidence fallback where no rule matches.
RED_FLAG_POLICY_PRIORITY = RULE_POLICY_PRIORITY - 1


def actions_since_latest_user_message(tracker: DialogueStateTracker) -> List[str]:
    """The actions run since the latest user message, oldest first (slot extraction left out)."""
    actions: List[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_EXTRACT_SLOTS:
            actions.append(event.action_name)
    return list(reversed(actions))


def next_red_flag_action(tracker: DialogueStateTracker) -> Optional[str]:
    """The next step of the escalation after a red-flag message, or None when there is none."""
    if (tracker.latest_message.intent or {}).get("name") != RED_FLAG_INTENT:
        return None
    done = actions_since_latest_user_message(tracker)
    if not done:
        return ESCALATION
    last = done[-1]
    if last == ESCALATION:
        return ACTION_DEACTIVATE_LOOP_NAME if tracker.active_loop_name else FOLLOW_UP
    if last == ACTION_DEACTIVATE_LOOP_NAME:
        return FOLLOW_UP
    if last == FOLLOW_UP:
        return ACTION_LISTEN_NAME
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class RedFlagPolicy(ScriptedPolicy):
    """Predicts the red-flag escalation after any `report_red_flag` message."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Rasa's hook for default settings."""
        return {POLICY_PRIORITY: RED_FLAG_POLICY_PRIORITY}

    def next_action(self, tracker: DialogueStateTracker) -> Optional[str]:
        """The next step, or no opinion at all."""
        return next_red_flag_action(tracker)
