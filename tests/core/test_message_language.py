"""Language detection: English wins on anything short or unclear; foreign sentences are named.

The development list (language_examples.yml beside this file) was written to tune the thresholds;
every English example the project has (NLU data, the held-out file, the red-flag development
sets) must stay English too.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
import yaml

from core.message_language import foreign_language, long_enough, read_language

EXAMPLES = yaml.safe_load((Path(__file__).parent / "language_examples.yml").read_text("utf-8"))
FOREIGN = [(code, text) for code, texts in EXAMPLES["foreign"].items() for text in texts]


@pytest.mark.parametrize("text", EXAMPLES["english"] + EXAMPLES["too_short"])
def test_short_replies_names_medical_words_and_english_are_never_foreign(text: str) -> None:
    assert foreign_language(text) is None


@pytest.mark.parametrize(("language", "text"), FOREIGN)
def test_a_sentence_in_another_language_is_named(language: str, text: str) -> None:
    assert foreign_language(text) == language


@pytest.mark.parametrize("case", EXAMPLES["unclear"], ids=lambda case: case["text"])
def test_foreign_text_made_of_medical_names_is_left_as_english_or_read_as_a_close_language(
    case: dict,
) -> None:
    assert foreign_language(case["text"]) in case["allowed"]


def test_no_english_example_of_the_project_is_called_foreign(english_examples: List[str]) -> None:
    assert len(english_examples) > 5000
    assert [text for text in english_examples if foreign_language(text)] == []


@pytest.mark.parametrize(
    ("text", "enough"),
    [
        ("muchas gracias", False),  # two words
        ("no no no", False),  # three words, too few letters
        ("me duele la ingle", True),
        ("你好", True),  # another alphabet says enough in two letters
        ("好", False),
        ("привет", True),
        ("👍👍👍 ok ok", False),
    ],
)
def test_only_messages_long_enough_to_tell_are_judged(text: str, enough: bool) -> None:
    assert long_enough(text) is enough


def test_english_that_lingua_doubts_is_kept_english_by_its_grammar_words() -> None:
    reading = read_language("wat r the symtoms")
    assert reading is not None and reading.language != "en"  # lingua alone would say Dutch
    assert reading.english_confidence <= 0.1 and not reading.foreign
