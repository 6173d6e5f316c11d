"""Tests for core/red_flag_classifier.py: a second opinion that only speaks about now."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest
import yaml

from core import red_flag_classifier
from core.red_flag_classifier import (
    NONE,
    RedFlagClassifier,
    examples_from_sets,
    mentions_a_cue,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES: List[Tuple[str, str]] = [
    ("my wee just trickles out and I can't stop it", "emergency"),
    ("the old fella won't work since my back went", "emergency"),
    ("legs like jelly both sides, back agony", "emergency"),
    ("burning up and shivering with this hip", "urgent"),
    ("night sweats and my back aches", "urgent"),
    ("my back aches after gardening", NONE),
    ("hip pain when I run", NONE),
    ("what are the symptoms", NONE),
    ("hello there", NONE),
    ("groin sore after football", NONE),
] * 3


@pytest.fixture(scope="module")
def classifier() -> RedFlagClassifier:
    return RedFlagClassifier().train(EXAMPLES)


def test_a_message_like_the_red_flag_examples_gets_an_alert_and_its_level(
    classifier: RedFlagClassifier,
) -> None:
    opinion = classifier.opinion("my wee trickles out and I can't stop it")

    assert opinion.alert_probability > 0.5
    assert opinion.level == "emergency"


def test_an_ordinary_message_gets_no_alert(classifier: RedFlagClassifier) -> None:
    assert classifier.opinion("my back aches after running").alert_probability < 0.5


@pytest.mark.parametrize(
    "text",
    [
        "I don't have night sweats, my back aches",  # denied
        "what if I get night sweats with this?",  # hypothetical
        "I had night sweats years ago",  # past
    ],
)
def test_a_clause_that_is_not_about_now_gets_no_alert(
    classifier: RedFlagClassifier, text: str
) -> None:
    opinion = classifier.opinion(text)

    assert (opinion.alert_probability, opinion.level) == (0.0, None)


def test_a_saved_classifier_loads_with_the_same_opinions(
    classifier: RedFlagClassifier, tmp_path: Path
) -> None:
    red_flag_classifier.save(classifier, tmp_path)

    loaded = red_flag_classifier.load(tmp_path)

    text = "the old fella won't work since my back went"
    assert loaded.opinion(text) == classifier.opinion(text)


def test_a_model_file_with_unexpected_types_is_refused(tmp_path: Path) -> None:
    import skops.io

    skops.io.dump({"not": "a model", "at": Path("/")}, tmp_path / red_flag_classifier.MODEL_FILE)

    with pytest.raises(ValueError, match="unexpected types"):
        red_flag_classifier.load(tmp_path)


def test_examples_come_from_every_set_with_their_first_level(tmp_path: Path) -> None:
    (tmp_path / "set.yml").write_text(
        yaml.safe_dump(
            {
                "red_flags": [
                    {"text": "A", "category": "x", "acceptable": ["urgent", "emergency"]}
                ],
                "negated": [{"text": "B", "kind": "denied"}],
                "openers": [{"text": "C"}],
            }
        )
    )

    assert examples_from_sets(tmp_path.glob("*.yml")) == [("A", "urgent"), ("B", NONE), ("C", NONE)]


def test_the_shipped_example_sets_are_all_readable() -> None:
    examples = examples_from_sets((ROOT / "data" / "red_flags").glob("*.yml"))

    assert len(examples) > 1000
    assert {label for _, label in examples} == {"emergency", "urgent", NONE}


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("my back is killing me", False),
        ("hi, I have hip pain", False),
        ("my bladder is acting up", True),
        ("my son is limping", True),
        ("cant feel my bum", True),
    ],
)
def test_only_a_message_that_names_a_sign_or_risk_has_a_cue(text: str, cue: bool) -> None:
    assert mentions_a_cue(text) is cue
