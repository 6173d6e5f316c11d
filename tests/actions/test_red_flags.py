"""Tests for actions/red_flags.py: current red flags are found; denied, past and asked ones not."""

from __future__ import annotations

from typing import List

import pytest

from actions.knowledge import RedFlag, get_knowledge
from actions.red_flags import current_red_flags, find_mentions, highest_level


def red_flags(*red_flag_ids: str) -> List[RedFlag]:
    """The content file's red flags with these ids, in this order."""
    return [get_knowledge().red_flag(red_flag_id) for red_flag_id in red_flag_ids]


@pytest.mark.parametrize(
    ("text", "red_flag_id", "level"),
    [
        ("I lost control of my bladder this morning", "bladder_bowel_control", "emergency"),
        ("I wet myself today without noticing", "bladder_bowel_control", "emergency"),
        ("I can't control my bowels since last night", "bladder_bowel_control", "emergency"),
        ("my crotch feels numb", "saddle_numbness", "emergency"),
        ("numbness between my legs since yesterday", "saddle_numbness", "emergency"),
        ("I can't feel anything when I wipe", "saddle_numbness", "emergency"),
        ("my legs are getting weaker every day", "leg_weakness_worsening", "emergency"),
        ("my knees keep giving way on the stairs", "leg_weakness_worsening", "emergency"),
        ("I was in a car crash yesterday and my hip hurts", "major_trauma", "emergency"),
        ("I fell off a ladder this afternoon", "major_trauma", "emergency"),
        ("I have a sudden tearing pain in my back", "tearing_pain_faintness", "emergency"),
        ("sudden belly pain and now I feel faint", "tearing_pain_faintness", "emergency"),
        ("I have a fever and my hip hurts", "fever_with_pain", "urgent"),
        ("I've had night sweats all week", "fever_with_pain", "urgent"),
        ("I have lost 8 kg without trying", "cancer_or_weight_loss", "urgent"),
        ("I'm being treated for lymphoma", "cancer_or_weight_loss", "urgent"),
        ("I'm on warfarin and my groin is swollen", "groin_swelling_anticoagulants", "urgent"),
        (
            "my groin has a big bruise and I take apixaban",
            "groin_swelling_anticoagulants",
            "urgent",
        ),
        ("my thigh is numb", "thigh_numbness_weakness", "urgent"),
        ("there is weakness in my thigh", "thigh_numbness_weakness", "urgent"),
        ("I cannot put weight on my leg", "unable_to_bear_weight", "urgent"),
        ("I can't walk on my leg at all", "unable_to_bear_weight", "urgent"),
    ],
)
def test_current_red_flag_is_found_with_its_level(text: str, red_flag_id: str, level: str) -> None:
    found = current_red_flags(text)

    assert [flag.id for flag in found] == [red_flag_id]
    assert found[0].level == level


def test_table_covers_every_red_flag_in_the_content_file() -> None:
    # The content file may gain red flags; the table above must then gain phrasings for them.
    covered = {
        "bladder_bowel_control",
        "saddle_numbness",
        "leg_weakness_worsening",
        "major_trauma",
        "tearing_pain_faintness",
        "fever_with_pain",
        "cancer_or_weight_loss",
        "groin_swelling_anticoagulants",
        "thigh_numbness_weakness",
        "unable_to_bear_weight",
    }

    assert {flag.id for flag in get_knowledge().red_flags} == covered


@pytest.mark.parametrize(
    "text",
    [
        # denied
        "no fever",
        "I don't have a fever",
        "I can control my bladder fine",
        "I never lost control of my bladder",
        "my thigh isn't numb",
        "no numbness in my saddle area",
        # past
        "car crash 10 years ago",
        "I had a bad fall years ago",
        "I fell off a horse as a kid",
        "I had a motorbike accident last year",
        # hypothetical
        "what if I lose bladder control?",
        "what if I get a fever?",
        "what happens if I cannot walk?",
        "in case I get a fever what do I do",
        # general questions
        "is sudden tearing pain something to worry about?",
        "is fever a warning sign?",
        "can iliopsoas cause numbness in the thigh?",
        "should I worry about weight loss?",
        "what are the warning signs?",
    ],
)
def test_denied_past_and_asked_mentions_are_not_current(text: str) -> None:
    assert current_red_flags(text) == []


@pytest.mark.parametrize(
    ("text", "red_flag_id"),
    [
        ("no fever", "fever_with_pain"),
        ("car crash 10 years ago", "major_trauma"),
        ("what if I lose bladder control?", "bladder_bowel_control"),
        ("is sudden tearing pain something to worry about?", "tearing_pain_faintness"),
    ],
)
def test_not_current_mention_is_still_recognised(text: str, red_flag_id: str) -> None:
    # The detector needs these to demote a classifier's report_red_flag guess.
    mentions = find_mentions(text)

    assert [(mention.red_flag.id, mention.current) for mention in mentions] == [
        (red_flag_id, False)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I had cancer five years ago",
        "I had a tumour removed years ago and now my back hurts",
        "I had chemo in 2015",
    ],
)
def test_history_of_cancer_counts_even_when_long_past(text: str) -> None:
    assert [flag.id for flag in current_red_flags(text)] == ["cancer_or_weight_loss"]


@pytest.mark.parametrize(
    "text",
    [
        "no fever but I can't put weight on my leg",
        "No fever. I can't put weight on my leg",
        "I don't have a fever, however I can't put weight on my leg",
    ],
)
def test_denied_flag_beside_a_current_one_finds_only_the_current_one(text: str) -> None:
    assert [flag.id for flag in current_red_flags(text)] == ["unable_to_bear_weight"]


@pytest.mark.parametrize(
    "text",
    [
        # The urgent sign comes first in the text, and in its own sentence.
        "I have a fever. I lost control of my bladder.",
        "I have night sweats, but worse, I can't feel anything when I wipe",
        "I can't put weight on my leg and I have a fever. My legs are getting weaker.",
    ],
)
def test_current_red_flags_sorts_emergency_before_urgent(text: str) -> None:
    levels = [flag.level for flag in current_red_flags(text)]

    assert levels == sorted(levels, key=["emergency", "urgent"].index)
    assert set(levels) == {"emergency", "urgent"}


def test_current_red_flags_names_each_flag_once() -> None:
    found = current_red_flags("I have a fever. Yes, a fever and chills.")

    assert [flag.id for flag in found] == ["fever_with_pain"]


@pytest.mark.parametrize(
    ("red_flag_ids", "level"),
    [
        (["fever_with_pain", "bladder_bowel_control"], "emergency"),
        (["bladder_bowel_control", "fever_with_pain"], "emergency"),
        (["saddle_numbness"], "emergency"),
        (["fever_with_pain", "unable_to_bear_weight"], "urgent"),
        ([], None),
    ],
)
def test_highest_level_is_the_most_serious_level(red_flag_ids: List[str], level: str) -> None:
    assert highest_level(red_flags(*red_flag_ids)) == level
