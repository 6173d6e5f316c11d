"""An NLU component that notices a message written in a language the assistant doesn't speak.

The assistant understands English only; DIET reads any other language as some English intent
("me duele la ingle cuando subo escaleras" once became "delete my data"). This component runs
after DIET and the FallbackClassifier and before the red-flag detector: for a message that is
surely in another language (core/message_language.py) it sets the intent `other_language`
and, in place of whatever entities DIET guessed, a `language` entity with the language's ISO
639-1 code, which fills the `language` slot. The Rasa server itself then says
`utter_other_language`, a domain response with a variation per language, so the reply needs no
action server. Short or unclear messages ("ok",
"si", "psoas", names) are left as they are: English wins.

The red-flag detector runs after it, so a red flag always wins over this reply: it forces
`report_red_flag` (in Spanish too, with the content file's Spanish rules) and says which language
the escalation is given in.

Not trainable: Rasa builds it with `create` when the model is loaded, never from the training
cache, so changes to this code or to the detection apply at the next server start.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.intent_override import force_intent, ranking_without
from core.message_language import detector, foreign_language
from core.names import OTHER_LANGUAGE_INTENT

LANGUAGE_ENTITY = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageGate(GraphComponent):
    """Sets `other_language` and the `language` entity for a message in another language."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Rasa's hook for default settings."""
        return {"extractor_name": "LanguageGate"}

    def __init__(self, config: Dict[str, Any]) -> None:
        """Keeps the component's settings."""
        self.extractor_name = config["extractor_name"]

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
        execution_context: Optional[ExecutionContext] = None,
    ) -> LanguageGate:
        """Rasa's constructor hook: loads the language models now, once, rather than in the
        middle of the first patient's message."""
        detector()
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        """Marks each message that is surely in another language."""
        for message in messages:
            self._process_message(message)
        return messages

    def _process_message(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if text.startswith("/"):
            return  # a button payload names its intent already
        language = foreign_language(text)
        if language is None:
            return
        ranking = ranking_without(message, OTHER_LANGUAGE_INTENT)
        force_intent(message, OTHER_LANGUAGE_INTENT, ranking)
        # What DIET made of words it was never taught (a body part, an activity) is dropped, so
        # that no slot is filled from them.
        entity = {
            "entity": LANGUAGE_ENTITY,
            "value": language,
            "start": 0,
            "end": len(text),
            "extractor": self.extractor_name,
        }
        message.set(ENTITIES, [entity], add_to_output=True)
