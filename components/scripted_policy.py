"""A dialogue policy whose next action is worked out from the conversation, not learned.

The red-flag escalation (components/red_flag_policy.py) and what follows an alert
(components/alert_policy.py) are fixed sequences: each policy names the next action, or has no
opinion, and may add events (the session's alert level) that Rasa applies before the action.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


class ScriptedPolicy(Policy):
    """Full confidence in the action `next_action` names, or no opinion at all."""

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        """Nothing to learn: the sequence is fixed."""
        return self._resource

    def next_action(self, tracker: DialogueStateTracker) -> Optional[str]:
        """The action to run next, or None to leave the decision to the other policies."""
        raise NotImplementedError

    def events(self, tracker: DialogueStateTracker) -> List[Event]:
        """Events Rasa applies whichever policy wins (none by default)."""
        return []

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[str, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Rasa's hook: the scripted action at full confidence, or no opinion."""
        probabilities = self._default_predictions(domain)
        action = self.next_action(tracker)
        if action is not None:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, events=self.events(tracker))
