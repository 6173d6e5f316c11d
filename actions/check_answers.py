"""Reading the symptom check's typed answers: how long the pain has lasted, and how old the
person with the pain is. Yes/no answers are read by actions/screening_answers.py."""

from __future__ import annotations

import re
from typing import List, Optional

from core.knowledge import get_knowledge

_MONTHS = re.compile(r"\b(months?|years?|yrs?|ages|long time|forever|since last year)\b", re.I)
_WEEKS = re.compile(r"\b(weeks?|wks?|fortnight|a month|one month|1 month)\b", re.I)
_DAYS = re.compile(
    r"\b(days?|today|yesterday|last night|this morning|"
    r"since (mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.I,
)
_NUMBER_AND_UNIT = re.compile(r"\b(\d+)\s*(day|week|month|year)s?\b", re.I)


def parse_duration(text: str) -> Optional[str]:
    """How long the pain has lasted, as days, weeks or months; None if the text does not say."""
    exact = _NUMBER_AND_UNIT.search(text)
    if exact:
        number, unit = int(exact.group(1)), exact.group(2).lower()
        days = number * {"day": 1, "week": 7, "month": 30, "year": 365}[unit]
        return "days" if days < 7 else "weeks" if days < 60 else "months"
    for pattern, duration in ((_MONTHS, "months"), (_WEEKS, "weeks"), (_DAYS, "days")):
        if pattern.search(text):
            if duration == "months" and re.search(r"\b(a|one|1) month\b", text, re.I):
                return "weeks"
            return duration
    return None


OLDEST_AGE = 120
_UNITS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
# Number words become digits before the age patterns run; "one of them" is not an age.
_NUMBER_WORDS = re.compile(
    r"\b(?:(" + "|".join(_TENS) + r")(?:[\s-](" + "|".join(_UNITS[:9]) + r"))?|("
    + "|".join(_UNITS) + r")(?!\s+of\b))\b",
    re.I,
)  # fmt: skip
_DECADE_WORDS = re.compile(r"\b(" + "|".join(t[:-1] for t in _TENS) + r")ies\b", re.I)
# A number followed by one of these is not an age ("I'm 5 days post-op", "pain is 7 out of 10").
_NOT_AN_AGE_AFTER = (
    r"(?!\s*(?:%|percent|/|out of|days?|weeks?|wks?|months?|mths?|hours?|hrs?|minutes?|mins?|"
    r"times?|kg|kilos?|lbs?|pounds?|stone|cm|miles?|km|o'?clock)\b)"
)
_SUBJECT = (
    r"(?:i'?m|i\s+am|he'?s|he\s+is|she'?s|she\s+is|they'?re|they\s+are|"
    r"(?:son|daughter|child|kid|boy|girl|baby|grandson|granddaughter|nephew|niece)\s+is)"
)
_QUALIFIER = r"(?:only\s+|just\s+|nearly\s+|almost\s+|about\s+|around\s+|roughly\s+)?"
# Ages said in so many words: taken from any message, the first one included.
_EXPLICIT_AGES = [
    re.compile(r"\b(\d{1,3})\s*-?\s*(?:years?|yrs?|yr)[\s-]*old\b", re.I),
    re.compile(r"\b(\d{1,3})\s*(?:yo|y/o|y\.o\.?)(?!\w)", re.I),
    re.compile(r"\baged?\s+(\d{1,3})\b" + _NOT_AN_AGE_AFTER, re.I),
    re.compile(r"\b" + _SUBJECT + r"\s+" + _QUALIFIER + r"(\d{1,3})\b" + _NOT_AN_AGE_AFTER, re.I),
    re.compile(r"\b(?:turned|turning)\s+(\d{1,3})\b", re.I),
]
_MONTHS_OLD = re.compile(r"\b\d{1,2}\s*-?\s*(?:months?|mths?|weeks?)[\s-]*old\b", re.I)
_BABY = re.compile(r"\b(?:my|our|the)\s+(?:baby|toddler|infant|newborn)\b", re.I)
# Answers that only make sense as a reply to "how old is the person with the pain?".
_UNDER = re.compile(r"\b(?:under|below|younger than|less than)\s+(\d{1,3})\b", re.I)
_OVER = re.compile(r"\b(?:over|above|older than|more than)\s+(\d{1,3})\b", re.I)
_AT_LEAST = re.compile(r"\b(\d{1,3})\s*(?:\+|or\s+(?:over|older|more|above))", re.I)
_RANGE = re.compile(r"\b(\d{1,3})\s*(?:to|-|–)\s*\d{1,3}\b", re.I)
_DECADE = re.compile(r"\b(\d)0'?s\b", re.I)
_BARE_NUMBER = re.compile(r"^\D*?(\d{1,3})\D*$")
MAX_BARE_NUMBER_WORDS = 4
_AGE_WORDS = [
    (re.compile(r"\b(?:child|kid|toddler|baby|infant|little\s+one)\b", re.I), "child"),
    (re.compile(r"\b(?:teen|teens|teenager|teenage|adolescent)\b", re.I), "teenager"),
    (re.compile(r"\b(?:adult|grown[\s-]?up)\b", re.I), "adult"),
    (re.compile(r"\b(?:elderly|pensioner|senior|retired|old\s+age)\b", re.I), "older_adult"),
]


def _digits_for_number_words(text: str) -> str:
    def replace(match: re.Match) -> str:
        tens, unit, alone = match.group(1), match.group(2), match.group(3)
        if alone:
            return str(_UNITS.index(alone.lower()) + 1)
        return str(
            (_TENS.index(tens.lower()) + 2) * 10 + (_UNITS.index(unit.lower()) + 1 if unit else 0)
        )

    text = _DECADE_WORDS.sub(lambda m: f"{(_TENS.index(m.group(1).lower() + 'y') + 2) * 10}s", text)
    return _NUMBER_WORDS.sub(replace, text)


def age_group_of(age: int) -> Optional[str]:
    """The content file's age group for an age in years; None for an impossible age."""
    if not 0 <= age <= OLDEST_AGE:
        return None
    groups = [name for name, start in get_knowledge().age_group_starts.items() if age >= start]
    return groups[-1]


def _ages_in(text: str, asked: bool) -> List[int]:
    ages = [int(m.group(1)) for pattern in _EXPLICIT_AGES for m in pattern.finditer(text)]
    if _MONTHS_OLD.search(text) or _BABY.search(text):
        ages.append(0)
    if not asked:
        return ages
    ages += [int(m.group(1)) - 1 for m in _UNDER.finditer(text)]
    ages += [int(m.group(1)) + 1 for m in _OVER.finditer(text)]
    ages += [int(m.group(1)) for m in _AT_LEAST.finditer(text)]
    ages += [int(m.group(1)) for m in _RANGE.finditer(text)]
    ages += [int(m.group(1)) * 10 for m in _DECADE.finditer(text)]
    bare = _BARE_NUMBER.match(text)
    if not ages and bare and len(text.split()) <= MAX_BARE_NUMBER_WORDS:
        ages.append(int(bare.group(1)))
    return ages


def parse_age_group(text: str, asked: bool = False) -> Optional[str]:
    """The age group of the person with the pain, from what the patient typed; None if the text
    does not say. `asked` is True when the message answers "how old is the person with the
    pain?": then a bare number ("72"), a range or a word ("a teenager") counts too.

    When a message gives several ages ("she's 7, I'm her mum, 38"), the youngest group wins:
    the check asks about age to send children and teenagers to same-day care."""
    text = _digits_for_number_words(text or "")
    groups = [group for group in map(age_group_of, _ages_in(text, asked)) if group]
    if asked and not groups:
        groups = [group for pattern, group in _AGE_WORDS if pattern.search(text)]
    order = list(get_knowledge().age_group_starts)
    return min(groups, key=order.index) if groups else None
