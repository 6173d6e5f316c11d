"""Topic answers read at about a US grade-8 level: short sentences, everyday words."""

from __future__ import annotations

import re
from typing import List

import pytest

from core.knowledge import Item, get_knowledge

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


def syllables(word: str) -> int:
    """Syllables in an English word, by the usual vowel-group rule (good to about one)."""
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent final e: "stretches" keeps it, "make" does not
    if word.endswith(("ed",)) and not word.endswith(("ted", "ded")) and count > 1:
        count -= 1  # "helped", "moved"
    return max(count, 1)


def flesch_kincaid_grade(text: str) -> float:
    """The Flesch-Kincaid grade level: 0.39 words per sentence + 11.8 syllables per word - 15.59."""
    sentences = [part for part in SENTENCE_END.split(text.strip()) if part]
    words = re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text)
    total_syllables = sum(syllables(word) for word in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * total_syllables / len(words) - 15.59


def reading_problems(text: str) -> List[str]:
    """What makes a text too hard to read; empty when it is fine."""
    problems = []
    grade = flesch_kincaid_grade(text)
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
    ("word", "count"),
    [("hip", 1), ("make", 1), ("stretches", 2), ("muscle", 2), ("helped", 1), ("started", 2),
     ("inflammation", 4), ("clinician", 3), ("posture", 2)],
)  # fmt: skip
def test_syllables_are_counted_like_a_reader_would(word: str, count: int) -> None:
    assert syllables(word) == count


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
