"""An NLU component that makes red flags win over the statistical intent classifier.

It runs last in the pipeline, after DIET and the FallbackClassifier, so nothing can undo what it
decides: a forced intent at full confidence beside a confident DIET guess would otherwise look
"ambiguous" to the FallbackClassifier and turn into nlu_fallback. A current red flag found by
the content file's rules (core/red_flags.py) forces `report_red_flag` and adds the `red_flag`
and `triage_level` entities, so the Rasa server itself fills the `triage_level` slot and says
the escalation, even when the action server is down.

A red flag also sets the `language` entity to the language the escalation is given in: es when
the content file's Spanish rules found it or the language gate read the message as Spanish,
otherwise en (the escalation is written in English and Spanish only).

DIET's own `report_red_flag` guess never sets a level by itself. About a sign that was only
denied, past or asked about ("no fever"), it is replaced by the next best intent. Where DIET is
sure but no sign is recognised, the intent becomes `possible_red_flag`: the assistant then asks
whether any warning sign is there right now, rather than guessing a level or staying silent.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.intent_override import force_intent, ranking_without
from core import red_flag_classifier
from core.names import FALLBACK_INTENT, POSSIBLE_RED_FLAG_INTENT, RED_FLAG_INTENT
from core.red_flag_classifier import (
    NONE,
    RedFlagClassifier,
    examples_from_sets,
    mentions_a_cue,
)
from core.red_flags import RedFlagMention, find_mentions, highest_level

ROOT = Path(__file__).resolve().parent.parent
# The code and content that shape what the classifier learns from (the text is made regular
# with the content file's vocabulary before it is learned).
TRAINING_CODE = [
    ROOT / "core" / "patient_text.py",
    ROOT / "core" / "red_flag_classifier.py",
    ROOT / "core" / "knowledge" / "iliopsoas.yml",
]
LANGUAGE_ENTITY = "language"
ENGLISH = "en"
SPANISH = "es"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class RedFlagDetector(GraphComponent):
    """Overrides the intent when the text reports a current red flag."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Rasa's hook for default settings."""
        return {
            "extractor_name": "RedFlagDetector",
            # The red-flag classifier's certainty from which its level is acted on (for a
            # message the rules found nothing in, that names a cue, said about now).
            "classifier_threshold": 0.7,
            # DIET's confidence in `report_red_flag` from which an unrecognised sign is asked
            # about; below it, the guess is dropped for DIET's next intent.
            "clarify_threshold": 0.6,
            # ... and the classifier's, for a statement about now: a denied, past or someone
            # else's sign is not asked about.
            "clarify_classifier_threshold": 0.3,
            # Shorter messages are answers ("left thigh" to "where does it hurt?"): only the
            # rules read them; a statistical guess about two words is not acted on.
            "statistical_min_words": 3,
            # The red-flag example sets the classifier learns from, besides the NLU data.
            "examples": "data/red_flags",
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Rasa's hook for inputs the graph does not see: the example sets and the code that
        prepares their text. Without it, Rasa's training cache would keep a classifier trained
        on older sets."""
        digest = hashlib.sha256()
        examples = ROOT / config.get("examples", cls.get_default_config()["examples"])
        for path in [*sorted(examples.glob("*.yml")), *TRAINING_CODE]:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
        classifier: Optional[RedFlagClassifier] = None,
    ) -> None:
        """Keeps the component's settings and, once trained or loaded, its classifier."""
        self.extractor_name = config["extractor_name"]
        self.classifier_threshold = float(config["classifier_threshold"])
        self.clarify_threshold = float(config["clarify_threshold"])
        self.clarify_classifier_threshold = float(config["clarify_classifier_threshold"])
        self.statistical_min_words = int(config["statistical_min_words"])
        self.examples = ROOT / config["examples"]
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagDetector:
        """Rasa's constructor hook."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Trains the classifier on the example sets and on every NLU example of another
        intent (ordinary messages), and stores it with the model."""
        examples = examples_from_sets(self.examples.glob("*.yml"))
        examples += [
            (message.get(TEXT), NONE)
            for message in training_data.intent_examples
            if message.get(INTENT) != RED_FLAG_INTENT and message.get(TEXT)
        ]
        self.classifier = RedFlagClassifier().train(examples)
        if self._model_storage is not None and self._resource is not None:
            with self._model_storage.write_to(self._resource) as directory:
                red_flag_classifier.save(self.classifier, directory)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> RedFlagDetector:
        """Rasa's hook for a trained model: the classifier comes from the model storage."""
        with model_storage.read_from(resource) as directory:
            classifier = red_flag_classifier.load(directory)
        return cls(config, model_storage, resource, classifier)

    def process(self, messages: List[Message]) -> List[Message]:
        """Applies the red-flag rules, then the classifier, to each parsed message."""
        for message in messages:
            self._process_message(message)
        return messages

    def _process_message(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if text.startswith("/"):
            return  # a button payload names its intent already
        mentions = find_mentions(text)
        current = [mention for mention in mentions if mention.current]
        if current:
            self._force_red_flag(message, current)
            return
        long_enough = len(text.split()) >= self.statistical_min_words
        cue = not mentions and long_enough and mentions_a_cue(text)
        opinion = self.classifier.opinion(text) if cue and self.classifier is not None else None
        if opinion and opinion.level and opinion.alert_probability >= self.classifier_threshold:
            self._set_top_intent(message, RED_FLAG_INTENT)
            self._add_entities(message, [("triage_level", opinion.level, (0, len(text)))])
            self._set_escalation_language(message, spanish_rules=False)
            return
        classifier_guess = _classifier_top_intent(message)
        if classifier_guess.get(INTENT_NAME_KEY) == RED_FLAG_INTENT:
            sure = (classifier_guess.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= self.clarify_threshold
            about_now = opinion is None or (
                opinion.alert_probability >= self.clarify_classifier_threshold
            )
            if sure and cue and about_now:
                self._ask_to_clarify(message)
            else:
                self._demote_red_flag(message)

    def _force_red_flag(self, message: Message, current: List[RedFlagMention]) -> None:
        self._set_top_intent(message, RED_FLAG_INTENT)
        level = highest_level([mention.red_flag for mention in current])
        most_serious = next(m for m in current if m.red_flag.level == level)
        found = [("red_flag", m.red_flag.id, (m.start, m.end)) for m in current]
        found.append(("triage_level", level, (most_serious.start, most_serious.end)))
        self._add_entities(message, found)
        spanish_rules = any(mention.language == SPANISH for mention in current)
        self._set_escalation_language(message, spanish_rules)

    def _set_escalation_language(self, message: Message, spanish_rules: bool) -> None:
        """The `language` entity of a red flag: es or en, in place of the gate's."""
        entities = list(message.get(ENTITIES) or [])
        gate_read = [found["value"] for found in entities if found["entity"] == LANGUAGE_ENTITY]
        spanish = spanish_rules or SPANISH in gate_read
        kept = [found for found in entities if found["entity"] != LANGUAGE_ENTITY]
        message.set(ENTITIES, kept, add_to_output=True)
        text = message.get(TEXT) or ""
        self._add_entities(
            message, [(LANGUAGE_ENTITY, SPANISH if spanish else ENGLISH, (0, len(text)))]
        )

    def _ask_to_clarify(self, message: Message) -> None:
        self._set_top_intent(message, POSSIBLE_RED_FLAG_INTENT)

    def _set_top_intent(self, message: Message, name: str) -> None:
        force_intent(message, name, ranking_without(message, RED_FLAG_INTENT))

    def _demote_red_flag(self, message: Message) -> None:
        ranking = ranking_without(message, RED_FLAG_INTENT)
        if not ranking:
            return
        # An nlu_fallback the FallbackClassifier already chose stays on top.
        message.set(INTENT, dict(ranking[0]), add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    def _add_entities(
        self, message: Message, found: List[Tuple[str, str, Tuple[int, int]]]
    ) -> None:
        """Adds (entity, value, (start, end)) entities, spanning the words that showed them."""
        entities = list(message.get(ENTITIES) or [])
        for name, value, (start, end) in found:
            entities.append(
                {
                    "entity": name,
                    "value": value,
                    "start": start,
                    "end": end,
                    "extractor": self.extractor_name,
                }
            )
        message.set(ENTITIES, entities, add_to_output=True)


def _classifier_top_intent(message: Message) -> Dict[str, Any]:
    """DIET's own best intent, under any nlu_fallback the FallbackClassifier put on top."""
    for entry in message.get(INTENT_RANKING_KEY) or [message.get(INTENT) or {}]:
        if entry.get(INTENT_NAME_KEY) != FALLBACK_INTENT:
            return entry
    return {}
