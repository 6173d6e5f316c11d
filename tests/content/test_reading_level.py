"""Topic answers read at about a US grade-8 level: short sentences, everyday words."""

from __future__ import annotations

import re
from typing import List

import pytest
import textstat

from actions.knowledge import Item, get_knowledge

# Aim for grade 8; the test allows one grade of slack for the formula's noise on short texts.
MAX_GRADE = 9.0
MAX_SENTENCE_WORDS = 25
# A sentence ends at . ! or ? followed by a space or the end of the text.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def topic_items() -> List[Item]:
    """Every item a topic question can answer with, intros included."""
    items: List[Item] = []
    for topic in get_knowledge().topics.values():
        if topic.intro:
            items.append(topic.intro)
        items.extend(topic.items)
    return items


def reading_problems(text: str) -> List[str]:
    """What makes a text too hard to read; empty when it is fine."""
    problems = []
    grade = textstat.flesch_kincaid_grade(text)
    if grade > MAX_GRADE:
        problems.append(f"Flesch-Kincaid grade {grade:.1f} > {MAX_GRADE}")
    for sentence in SENTENCE_END.split(text.strip()):
        if len(sentence.split()) > MAX_SENTENCE_WORDS:
            problems.append(f"{len(sentence.split())} words in: {sentence!r}")
    return problems


@pytest.mark.parametrize("item", topic_items(), ids=lambda item: item.id)
def test_topic_item_reads_at_about_grade_8(item: Item) -> None:
    assert reading_problems(item.text) == []


def test_topic_items_include_the_treatment_intro() -> None:
    assert "treatment_intro" in {item.id for item in topic_items()}


@pytest.mark.parametrize(
    ("hard_text", "problem"),
    [
        # The physical-therapy item before the plain-words rewrite (grade 14.8).
        (
            "A tailored physio programme stretches the iliopsoas, strengthens the muscles around "
            "it (such as the glutes and core) and works on pelvic alignment; hands-on therapy may "
            "ease muscle tension.",
            "Flesch-Kincaid grade",
        ),
        # Easy words, but one 29-word sentence.
        (
            "You can walk and sit and stand and rest and walk and sit and stand and rest and "
            "walk and sit and stand and rest and walk and sit.",
            "29 words in",
        ),
    ],
)
def test_a_hard_text_is_reported(hard_text: str, problem: str) -> None:
    # Guards the check above: it must be able to fail, on each of its two rules.
    assert any(problem in found for found in reading_problems(hard_text))


def symptom_check_texts() -> List[Item]:
    """What the symptom check asks and advises, in the content file's words."""
    knowledge = get_knowledge()
    questions = [*knowledge.risk_questions, knowledge.recent_onset_question]
    items = [*knowledge.next_steps.values(), *knowledge.check_reasons.values()]
    items.append(knowledge.watch_for)
    items += [Item(id=question.slot, text=question.text, source="") for question in questions]
    return items


@pytest.mark.parametrize("item", symptom_check_texts(), ids=lambda item: item.id)
def test_symptom_check_text_reads_at_about_grade_8(item: Item) -> None:
    # The emergency number is filled in from the settings; "911" stands for it here.
    assert reading_problems(item.text.replace("{emergency_number}", "911")) == []
