"""Answers to yes/no safety questions are read, never guessed."""

from typing import Optional

import pytest

from actions.screening_answers import NO, NOT_SURE, YES, screening_answer


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("/affirm", "affirm", YES),
        ("/deny", "deny", NO),
        ("/not_sure", "not_sure", NOT_SURE),
        ("yes", "affirm", YES),
        ("yeah i do", "affirm", YES),
        ("Yes, since this morning", "affirm", YES),
        ("a bit", None, YES),
        ("sometimes", None, YES),
        ("kind of", "affirm", YES),
        ("i think so", "affirm", YES),
        ("no", "deny", NO),
        ("nope none of those", "deny", NO),
        ("I don't have any of those", "deny", NO),
        ("never", "deny", NO),
        ("not really", "deny", NOT_SURE),
        ("don't think so", "deny", NOT_SURE),
        ("i dont think so tbh", "deny", NOT_SURE),
        ("not sure", "not_sure", NOT_SURE),
        ("idk", "not_sure", NOT_SURE),
        ("maybe, it's hard to tell", None, NOT_SURE),
        ("a little bit maybe", None, NOT_SURE),
        ("no but my leg feels funny", "deny", NOT_SURE),
        ("no, yes, sort of", None, NOT_SURE),
        ("no I haven't noticed anything like that at all, it's just really sore", "deny", NOT_SURE),
    ],
)
def test_an_answer_is_read_as_yes_no_or_not_sure(
    text: str, intent: Optional[str], expected: str
) -> None:
    assert screening_answer(text, intent) == expected


@pytest.mark.parametrize(
    "text, intent",
    [
        ("is it psoas or not, yes or no", "deny"),
        ("what do you mean by saddle?", "ask_symptoms"),
        ("how is it treated", "ask_treatment"),
        ("my hip hurts", "inform"),
        ("ok", "affirm"),
        ("okay", "affirm"),
        ("", None),
        ("/ask_overview", "ask_overview"),
    ],
)
def test_a_question_back_or_an_acknowledgement_is_no_answer(
    text: str, intent: Optional[str]
) -> None:
    assert screening_answer(text, intent) is None
