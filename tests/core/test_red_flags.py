"""Tests for core/red_flags.py: current red flags are found; denied, past and asked ones not."""

from __future__ import annotations

from typing import List

import pytest

from core.knowledge import RedFlag, get_knowledge
from core.red_flags import current_red_flags, find_mentions, higher_level, highest_level


def red_flags(*red_flag_ids: str) -> List[RedFlag]:
    """The content file's red flags with these ids, in this order."""
    return [get_knowledge().red_flag(red_flag_id) for red_flag_id in red_flag_ids]


def found_ids(text: str) -> List[str]:
    return [flag.id for flag in current_red_flags(text)]


# One or more plain phrasings per red flag; the blind benchmark sets test the hard ones.
PHRASINGS = [
    ("I lost control of my bladder this morning", "bladder_bowel_control"),
    ("I wet myself today without noticing", "bladder_bowel_control"),
    ("I can't control my bowels since last night", "bladder_bowel_control"),
    ("haven't been able to pee since yesterday", "bladder_bowel_control"),
    ("my crotch feels numb", "saddle_numbness"),
    ("I can't feel anything when I wipe", "saddle_numbness"),
    ("since my back went I can't get an erection at all", "sexual_dysfunction"),
    ("sciatica down both legs since this morning", "both_legs"),
    ("my leg is getting weaker every day", "leg_weakness_worsening"),
    ("my knee keeps giving way on the stairs", "leg_weakness_worsening"),
    ("I'm on apixaban and my groin started hurting today", "bleeding_on_blood_thinners"),
    ("sudden tearing pain in my back", "aortic_aneurysm"),
    ("my dad collapsed with terrible back pain", "aortic_aneurysm"),
    ("I'm 81 and I slipped in the kitchen, my hip hurts", "fracture"),
    ("I was in a car crash yesterday and my hip hurts", "major_trauma"),
    ("I can't put any weight on my leg", "unable_to_bear_weight"),
    ("I'm diabetic and I've got a fever with this back pain", "infection_with_risk"),
    ("my 4 year old is limping and has a temperature", "child_limp_fever"),
    ("chest pain going through to my back", "chest_pain_with_back_pain"),
    ("sudden agony in my left testicle", "groin_emergency"),
    ("I have a fever and my hip hurts", "fever_with_pain"),
    ("I had breast cancer years ago and now my back aches", "cancer_history"),
    ("I've lost 8 kg without trying", "unexplained_weight_loss"),
    ("the front of my thigh has gone numb", "thigh_numbness_weakness"),
    ("my 6 year old has started limping, no temperature", "child_limp"),
    ("my 13 year old has had knee pain for weeks and now limps", "teenager_hip_or_knee_pain"),
    ("the pain is worse at night and nothing eases it", "night_pain"),
    ("my knee is suddenly hot, red and swollen", "hot_swollen_joint"),
]


@pytest.mark.parametrize(("text", "red_flag_id"), PHRASINGS)
def test_a_current_red_flag_is_found(text: str, red_flag_id: str) -> None:
    assert red_flag_id in found_ids(text)


def test_every_red_flag_in_the_content_file_has_a_phrasing_above() -> None:
    assert {flag.id for flag in get_knowledge().red_flags} == {flag for _, flag in PHRASINGS}


@pytest.mark.parametrize(
    "text",
    [
        # Issue 9: the old filter called these "not current".
        "I've had back pain since last year and now I can't control my bladder",
        "I've wet myself, no idea why",
        "without warning I wet myself",
        "is it a red flag that I've wet myself",
        # Someone else, in any clause, or asked about as a current state.
        "my husband is leaking urine",
        "no fever, but I've lost control of my bladder",
        "is it weird that I can't feel myself peeing?",
        # Typos, text-speak and missing apostrophes.
        "cant controll my bladdar rn",
        "I CANT HOLD MY WEE AT ALL",
    ],
)
def test_reports_in_real_patient_language_are_current(text: str) -> None:
    assert "bladder_bowel_control" in found_ids(text)


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
        "bladder and bowels are fine, it's only the pain",
        # past
        "car crash 10 years ago",
        "I fell off a horse as a kid",
        "I had a motorbike accident last year",
        "I had a fever last week but it's gone now",
        # hypothetical
        "what if I lose bladder control?",
        "what if I got a temperature with this, would I have to go in?",
        "in case I get a fever what do I do",
        "should I be worried if my legs ever start getting weaker?",
        # general questions
        "is sudden tearing pain something to worry about?",
        "can iliopsoas cause numbness in the thigh?",
        "should I worry about weight loss?",
        "what are the warning signs?",
        # ordinary openers
        "my lower back and hip have been killing me for 3 months and nobody can tell me why",
        "my hip hurts when i kick the ball at football",
        "i can't lift my leg as high as before because my hip is tight",
        "help me write an essay about shakespeare",
    ],
)
def test_denied_past_asked_and_ordinary_messages_have_no_current_red_flag(text: str) -> None:
    assert found_ids(text) == []


@pytest.mark.parametrize(
    ("text", "red_flag_id"),
    [
        ("no fever", "fever_with_pain"),
        ("car crash 10 years ago", "major_trauma"),
        ("what if I lose bladder control?", "bladder_bowel_control"),
        ("is sudden tearing pain something to worry about?", "aortic_aneurysm"),
    ],
)
def test_a_mention_that_is_not_current_is_still_recognised(text: str, red_flag_id: str) -> None:
    # The detector needs these to drop a classifier's report_red_flag guess.
    assert (red_flag_id, False) in [(m.red_flag.id, m.current) for m in find_mentions(text)]


@pytest.mark.parametrize(
    "text",
    [
        "I had cancer five years ago",
        "I had a tumour removed years ago and now my back hurts",
        "I had chemo in 2015",
    ],
)
def test_a_history_of_cancer_counts_even_when_long_past(text: str) -> None:
    assert found_ids(text) == ["cancer_history"]


@pytest.mark.parametrize(
    "text",
    [
        "my mum died of cancer, I'm here about my own back",
        "my grandpa had prostate cancer but that was him not me",
    ],
)
def test_someone_elses_cancer_does_not_count(text: str) -> None:
    assert found_ids(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A standing fact stays current although it began long ago.
        ("on warfarin since 2019 and today my groin is swollen", ["bleeding_on_blood_thinners"]),
        ("was on warfarin years ago, now my groin aches", []),
        ("kidney transplant 2 years ago, on tacrolimus, now feverish", ["infection_with_risk"]),
        ("I'm not on any blood thinners, my groin aches", []),
    ],
)
def test_combinations_need_every_part_current(text: str, expected: List[str]) -> None:
    assert [
        i for i in found_ids(text) if i in {"bleeding_on_blood_thinners", "infection_with_risk"}
    ] == expected


@pytest.mark.parametrize(
    ("text", "unwanted"),
    [
        ("I've been trying to lose weight and lost 5 kg", "unexplained_weight_loss"),
        ("I can't lift my leg without it hurting", "leg_weakness_worsening"),
    ],
)
def test_an_unless_pattern_cancels_its_red_flag(text: str, unwanted: str) -> None:
    assert unwanted not in found_ids(text)


def test_current_red_flags_sorts_emergency_before_urgent_and_names_each_once() -> None:
    found = current_red_flags("I have a fever. Yes, a fever. And I lost control of my bladder.")

    assert [flag.id for flag in found] == ["bladder_bowel_control", "fever_with_pain"]


@pytest.mark.parametrize(
    ("red_flag_ids", "level"),
    [
        (["fever_with_pain", "bladder_bowel_control"], "emergency"),
        (["saddle_numbness"], "emergency"),
        (["fever_with_pain", "night_pain"], "urgent"),
        ([], None),
    ],
)
def test_highest_level_is_the_most_serious_level(red_flag_ids: List[str], level: str) -> None:
    assert highest_level(red_flags(*red_flag_ids)) == level


@pytest.mark.parametrize(
    ("levels", "expected"),
    [(("urgent", "emergency"), "emergency"), ((None, "urgent"), "urgent"), ((None, None), None)],
)
def test_higher_level_keeps_the_most_serious(levels: tuple, expected: str) -> None:
    assert higher_level(*levels) == expected


@pytest.mark.parametrize(
    ("text", "red_flag_id"),
    [
        # A time that is recent is not "the past": only years, months and weeks ago are.
        ("I lost control of my bladder, it was about an hour ago", "bladder_bowel_control"),
        # "what's new is ..." is a statement, not a question.
        ("what's new is since last night both calves are tingling", "both_legs"),
        # "otherwise fine" is about the rest of the child, not the limp being over.
        ("kid is 5, complaining of groin pain and limping, otherwise totally fine", "child_limp"),
        # Introducing the patient is not a general question.
        ("asking about my daughter, she's 9. She's been limping since Saturday", "child_limp"),
        # The writer is in the story: "someone" is not a stranger's past.
        (
            "car crash on Friday, someone went into the back of us, now my back hurts",
            "major_trauma",
        ),
        (
            "is it bad if the front of my hip looks red and feels warm and puffy?",
            "hot_swollen_joint",
        ),
        # Voice typing.
        ("I had bowel can sir three years ago and now I have new back pain", "cancer_history"),
    ],
)
def test_statements_that_look_like_past_or_questions_are_current(
    text: str, red_flag_id: str
) -> None:
    assert red_flag_id in found_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        # A stranger's story read or watched somewhere.
        "some guy on reddit said he couldnt feel himself pee and it was CES. mine feels normal",
        "saw a tiktok of a guy who got foot drop from a disc, now im scared but my foot is fine",
        # The past said in the next comma-separated part.
        "once in my twenties my leg gave way because of a disc, that was 25 years ago",
        "My nan broke her hip when she fell at 90, that was years ago. I'm 35, is it genetic?",
        "My sister had fever and back pain with infection in the spine, many years ago, now she "
        "is good",
        # The writer is the patient, not the child in the story.
        "My son had an irritable hip with a fever when he was 3, he's 10 now and totally fine. "
        "I'm the patient, groin pain from squats.",
        # Conditionals and questions.
        "if both my legs got the tingles not just the one, then what",
        "would a hot red swollen hip need a same day appt? mine is just achy",
        "Could I end up with foot drop if I leave this untreated?",
        "My friends say that at our age any fall means a broken hip. Is that true?",
        # Denials after the sign.
        "I don't have any numbness anywhere, both my legs feel strong",
        "I can feel everything down below, and my legs are no weaker than they were",
        "no numbness in my privates, just a sore hip",
    ],
)
def test_stories_questions_and_denials_found_on_fresh_sets_are_not_current(text: str) -> None:
    assert found_ids(text) == []


@pytest.mark.parametrize(
    "text", ["hay fever is driving me mad", "my hayfever is awful this week", "hay-fever season"]
)
def test_hay_fever_is_not_a_fever(text: str) -> None:
    assert find_mentions(text) == []


def test_a_fever_beside_hay_fever_is_still_a_fever() -> None:
    found = find_mentions("my hip hurts and on top of the hay fever i have a fever")

    assert [mention.red_flag.id for mention in found if mention.current] == ["fever_with_pain"]
