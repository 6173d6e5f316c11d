"""Tests for actions/check_answers.py: typed durations and ages are read, never guessed."""

from __future__ import annotations

import pytest

from actions.check_answers import age_group_of, parse_age_group, parse_duration


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("3 days", "days"),
        ("since yesterday", "days"),
        ("a few days", "days"),
        ("since monday", "days"),
        ("2 weeks", "weeks"),
        ("a few weeks", "weeks"),
        ("about a fortnight", "weeks"),
        ("a month", "weeks"),
        ("1 month", "weeks"),
        ("8 weeks", "weeks"),
        ("6 months", "months"),
        ("10 weeks", "months"),
        ("since last year", "months"),
        ("months or longer", "months"),
        ("for years", "months"),
        ("2 years", "months"),
        ("dunno", None),
        ("it hurts a lot", None),
        ("", None),
    ],
)
def test_parse_duration(text: str, duration: str | None) -> None:
    assert parse_duration(text) == duration


@pytest.mark.parametrize(
    ("age", "group"),
    [(0, "child"), (9, "child"), (10, "teenager"), (16, "teenager"), (17, "adult"),
     (64, "adult"), (65, "older_adult"), (101, "older_adult"), (-1, None), (500, None)],
)  # fmt: skip
def test_ages_fall_into_the_content_files_age_groups(age: int, group: str | None) -> None:
    assert age_group_of(age) == group


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("I'm 14", "teenager"),
        ("he's 7", "child"),
        ("72", "older_adult"),
        ("about 40", "adult"),
        ("she is seventy-two", "older_adult"),
        ("he's seven", "child"),
        ("my daughter is 15", "teenager"),
        ("my son, he's 12", "teenager"),
        ("she's 9 months old", "child"),
        ("14yo", "teenager"),
        ("7-year-old", "child"),
        ("aged 3", "child"),
        ("in my 40s", "adult"),
        ("mid seventies", "older_adult"),
        ("a teenager", "teenager"),
        ("she's only a kid", "child"),
        ("an adult", "adult"),
        # The button titles, typed.
        ("Under 10", "child"),
        ("10 to 16", "teenager"),
        ("17 to 64", "adult"),
        ("65 or over", "older_adult"),
        ("65+", "older_adult"),
        ("over 65", "older_adult"),
        # A parent giving both ages: the youngest group wins, it is the one that needs care.
        ("she's 7, I'm her mum, 38", "child"),
    ],
)
def test_a_typed_age_answers_the_age_question(text: str, group: str) -> None:
    assert parse_age_group(text, asked=True) == group


@pytest.mark.parametrize(
    "text",
    ["why do you need that?", "not sure", "ok", "I'd rather not say", "one of them", ""],
)
def test_a_reply_without_an_age_is_no_answer(text: str) -> None:
    assert parse_age_group(text, asked=True) is None


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("my 7 year old son has hip pain", "child"),
        ("can you check my daughter's symptoms, she's 14", "teenager"),
        ("I'm 72 and my hip hurts when I climb stairs", "older_adult"),
        ("I'm 45, am I too old for this to be psoas?", "adult"),
        ("my baby won't move her leg", "child"),
        # Numbers that are not ages.
        ("my hip has hurt for 3 years", None),
        ("I'm 5 days post op and my groin hurts", None),
        ("the pain is 7 out of 10", None),
        ("I have had it since I was 14", None),
        # Without the question, words alone are not enough ("when I was a teenager...").
        ("when I was a teenager I broke my hip", None),
        ("my son has groin pain", None),
    ],
)
def test_an_age_said_in_so_many_words_is_read_from_any_message(text: str, group: str) -> None:
    assert parse_age_group(text) == group
