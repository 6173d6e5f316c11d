"""What an action's messages look like to the patient, rendered from the domain's responses as
the Rasa server renders them.

An action sends `dispatcher.utter_message(response="utter_x", **variables)`; rasa_sdk's
CollectingDispatcher records only the name and the variables. The Rasa server then fills the
response in (rasa.core.actions.action.RemoteAction._utter_responses): it picks a variation whose
conditions hold for the tracker's slots, fills `{name}` from the slots overridden by the
message's variables (TemplatedNaturalLanguageGenerator), appends the buttons the action passed to
the response's own, and keeps the message's other non-empty keys. This module does the same with
Rasa's own generator, so an action test reads the text a patient would read.

It is stricter than Rasa where Rasa fails quietly: an unknown response (Rasa drops the message), a
placeholder with no value (Rasa sends the template unfilled) and variations that would read
differently for the same slots (Rasa picks one at random) all fail the test.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa_sdk.executor import CollectingDispatcher

from core.wording import PLACEHOLDER

ROOT = Path(__file__).resolve().parents[2]
# The REST channel's name; the domain has no channel-specific variations.
OUTPUT_CHANNEL = "collector"

Responses = Dict[str, List[Dict[str, Any]]]
Message = Dict[str, Any]


def load_responses(domain_path: Path = ROOT / "domain.yml") -> Responses:
    """The domain's responses as the Rasa server holds them."""
    return Domain.load(str(domain_path)).responses


def _placeholders(text: str) -> List[str]:
    # A doubled brace is Rasa's escape (button payloads such as /inform{{"body_part": ...}}).
    return PLACEHOLDER.findall(re.sub(r"{{.*?}}", "", text, flags=re.DOTALL))


def render_message(message: Message, responses: Responses, slots: Dict[str, Any]) -> Message:
    """One message as the patient receives it: a response filled in, or a plain message as is.

    The result keeps the message's own keys (the response name, the variables) beside the
    rendered `text` and `buttons`, so a test can check either."""
    name = message.get("response")
    if not name:
        return message
    assert name in responses, f"{name} is not a domain response: Rasa would drop the message"
    variables = {key: value for key, value in message.items() if key != "response"}
    variations = ResponseVariationFilter(responses).responses_for_utter_action(
        name, OUTPUT_CHANNEL, slots
    )
    assert variations, f"no variation of {name} fits the slots {slots}"
    texts = {variation.get("text") for variation in variations}
    assert len(texts) == 1, f"{name} could read differently for the same slots: {texts}"
    for key, value in variables.items():
        # Rasa takes "0[" in the filled text for a placeholder it failed to fill and sends the
        # template unfilled (rasa/core/nlg/interpolator.py).
        assert "0[" not in str(value), f"{name}: {key} holds '0[', Rasa would not fill it in"
    known = {**slots, **variables}
    for variation in variations:
        missing = set(_placeholders(variation.get("text") or "")) - set(known)
        assert not missing, f"{name} needs {missing}: Rasa would send the template unfilled"
    draft = TemplatedNaturalLanguageGenerator(responses).generate_from_slots(
        name, slots, OUTPUT_CHANNEL, **copy.deepcopy(variables)
    )
    assert draft is not None
    # As RemoteAction._utter_responses: passed buttons after the response's own, then the
    # message's other non-empty keys.
    rendered = {**message, "text": draft.get("text"), "buttons": list(draft.get("buttons") or [])}
    rendered["buttons"] += message.get("buttons") or []
    return rendered


class RenderingDispatcher(CollectingDispatcher):
    """A CollectingDispatcher whose messages are rendered as the Rasa server renders them.

    `slots` are the tracker's slots when the action runs (Rasa fills the responses in with the
    tracker as it was before the action's events are applied)."""

    def __init__(self, responses: Responses, slots: Optional[Dict[str, Any]] = None) -> None:
        super().__init__()
        self.responses = responses
        self.slots: Dict[str, Any] = dict(slots or {})

    def utter_message(self, *args: Any, **kwargs: Any) -> None:
        super().utter_message(*args, **kwargs)
        self.messages[-1] = render_message(self.messages[-1], self.responses, self.slots)


def render_response(
    responses: Responses, name: str, slots: Optional[Dict[str, Any]] = None, **variables: Any
) -> str:
    """The text of one response with these variables, as the patient reads it."""
    message = {"response": name, **variables}
    return render_message(message, responses, dict(slots or {}))["text"]
