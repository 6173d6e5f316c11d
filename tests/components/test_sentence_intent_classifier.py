"""Tests for components/sentence_intent_classifier.py: intents from sentence embeddings,
blended with DIET's ranking, stored and loaded with the model."""

from __future__ import annotations

from pathlib import Path
from typing import List

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.sentence_intent_classifier import SentenceIntentClassifier

EXAMPLES = {
    "greet": ["hello", "hi there", "good morning", "hey", "hiya"],
    "out_of_scope": [
        "how do i reset my router",
        "book me a flight to paris",
        "what's the weather tomorrow",
        "recipe for lasagne",
        "who won the football",
    ],
    "ask_causes": [
        "what causes iliopsoas syndrome",
        "why did my psoas get tight",
        "can sitting all day cause hip flexor pain",
        "could running have caused it",
        "what makes the muscle inflamed",
    ],
}


def trained(tmp_path: Path, weight: float = 1.0) -> SentenceIntentClassifier:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("sentence_intents")
    config = {**SentenceIntentClassifier.get_default_config(), "weight": weight}
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = SentenceIntentClassifier.create(config, storage, resource, context)
    messages = [
        Message(data={"text": text, "intent": intent})
        for intent, texts in EXAMPLES.items()
        for text in texts
    ]
    classifier.train(TrainingData(messages))
    return classifier


def parsed(classifier: SentenceIntentClassifier, text: str, diet: List[dict]) -> Message:
    message = Message(data={"text": text, "intent": diet[0] if diet else None})
    message.set("intent_ranking", diet)
    classifier.process([message])
    return message


def test_unseen_paraphrases_get_their_intent(tmp_path: Path) -> None:
    classifier = trained(tmp_path)

    assert parsed(classifier, "my wifi box needs a restart", []).get("intent")["name"] == (
        "out_of_scope"
    )
    assert parsed(classifier, "hey there!", []).get("intent")["name"] == "greet"
    assert parsed(classifier, "did cycling cause my psoas pain", []).get("intent")["name"] == (
        "ask_causes"
    )


def test_diet_keeps_its_share_of_the_blend(tmp_path: Path) -> None:
    classifier = trained(tmp_path, weight=0.0)
    diet = [
        {"name": "ask_causes", "confidence": 0.9},
        {"name": "greet", "confidence": 0.1},
    ]

    message = parsed(classifier, "hello", diet)

    assert message.get("intent") == {"name": "ask_causes", "confidence": 0.9}
    assert [entry["name"] for entry in message.get("intent_ranking")][:2] == [
        "ask_causes",
        "greet",
    ]


def test_a_button_payload_keeps_the_intent_it_names(tmp_path: Path) -> None:
    classifier = trained(tmp_path)
    diet = [{"name": "ask_symptoms", "confidence": 1.0}]

    message = parsed(classifier, "/ask_symptoms", diet)

    assert message.get("intent") == {"name": "ask_symptoms", "confidence": 1.0}


def test_the_trained_classifier_is_stored_and_loaded_with_the_model(tmp_path: Path) -> None:
    classifier = trained(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")

    loaded = SentenceIntentClassifier.load(
        SentenceIntentClassifier.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("sentence_intents"),
        context,
    )

    text = ["my router keeps dropping"]
    assert (loaded.probabilities(text) == classifier.probabilities(text)).all()
