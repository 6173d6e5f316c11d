"""Keeps DIET's entities to the names the assistant knows.

DIET generalises from its examples, which is what finds "my tigh" or "biking"; it also tags
words that only look like the examples ("core" as a treatment, "back" in "back to normal",
"rest" in "the rest of my life"). An entity is kept when, after the synonym mapper, its value is
one of the content file's canonical values (`entity_values`), and the few words with an everyday
meaning as well are kept only where they mean the body part or the treatment.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Pattern, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, TEXT
from rasa.shared.nlu.training_data.message import Message

from core.knowledge import get_knowledge

DIET = "DIETClassifier"
# Words with an everyday sense, and the text around them (before, after) that means that sense.
EVERYDAY_SENSES: Dict[Tuple[str, str], Tuple[Pattern[str], Pattern[str]]] = {
    ("body_part", "back"): (
        re.compile(
            r"\b(?:get|gets|got|getting|go|goes|going|gone|went|come|comes|coming|came|be|being|been|was|were|"
            r"bring|put|give|way|years?|months?|weeks?|days?|while|ago|straight|right|sent|"
            r"bounce|bouncing|hold|holding|cut|cutting|fight|call|write|step|ease|easing|"
            r"looking|look|play|playing|head|heading|run|running)\s+$",
            re.IGNORECASE,
        ),
        re.compile(
            r"^\s+(?:to|on|in|into|at|home|from|up|out|again|normal)\b",
            re.IGNORECASE,
        ),
    ),
    ("treatment", "rest"): (
        re.compile(r"\b(?:the|for)\s+$", re.IGNORECASE),
        re.compile(r"^\s+of\b", re.IGNORECASE),
    ),
}
# "my back", "the lower back": the body part whatever follows.
OWNED = re.compile(r"\b(?:my|his|her|your|their|our|the|lower|low|upper|mid|middle)\s+$", re.I)


def keeps(entity: Dict[str, Any], text: str, canonical: Dict[str, Tuple[str, ...]]) -> bool:
    """Whether an extracted entity names something the assistant knows, in that sense."""
    kind = entity.get(ENTITY_ATTRIBUTE_TYPE)
    if entity.get("extractor") != DIET or kind not in canonical:
        return True
    if str(entity.get("value", "")).lower() not in canonical[kind]:
        return False
    start, end = entity.get("start"), entity.get("end")
    if start is None or end is None:
        return True
    word = text[start:end].lower()
    senses = EVERYDAY_SENSES.get((kind, word))
    if senses is None:
        return True
    before, after = senses
    if before.search(text[:start]):
        return False
    # "my back on the left side" is the body part, whatever follows.
    return bool(OWNED.search(text[:start])) or not after.search(text[end:])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PatientEntityFilter(GraphComponent):
    """Drops DIET entities that are not one of the assistant's canonical names."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PatientEntityFilter:
        """Rasa's constructor hook."""
        return cls()

    def __init__(self, canonical: Optional[Dict[str, Tuple[str, ...]]] = None) -> None:
        self.canonical = canonical or {
            kind: tuple(value.lower() for value in values)
            for kind, values in get_knowledge().entity_values.items()
        }

    def process(self, messages: List[Message]) -> List[Message]:
        """Filters each message's entities in place."""
        for message in messages:
            entities = message.get(ENTITIES) or []
            text = message.get(TEXT) or ""
            kept = [entity for entity in entities if keeps(entity, text, self.canonical)]
            if len(kept) != len(entities):
                message.set(ENTITIES, kept, add_to_output=True)
        return messages
