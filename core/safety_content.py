"""The safety part of the content file: red flags, how to spot them, and the safety questions.

Red-flag rules are regular expressions over regular text (core/patient_text.py), built from
named terms: `@bladder` in a pattern stands for the `bladder` entry of `red_flag_terms`, so the
ways patients name a body part or a sign are written once and shared. A red flag is spotted by
any one of its `patterns` (found in one clause), or by a `combination`: every part found
somewhere in the message, each one current (e.g. "I'm on warfarin" and, later, "my groin started
hurting today"). `unless` patterns, when current anywhere in the message, cancel it ("on a diet"
for weight loss).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

RED_FLAG_LEVELS = ("emergency", "urgent")
_TERM = re.compile(r"@([a-z_]+)")
MAX_TERM_DEPTH = 5


@dataclass(frozen=True)
class RedFlag:
    """A sign that needs emergency or same-day care, and how to spot it in free text."""

    id: str
    level: str
    label: str
    source: str
    # Each sign is one or more patterns that must all be found (one pattern: in one clause).
    signs: Tuple[Tuple[re.Pattern, ...], ...]
    unless: Tuple[re.Pattern, ...] = ()
    # True where the sign is a history (a past cancer), so past mentions still count.
    history_counts: bool = False

    @property
    def patterns(self) -> Tuple[re.Pattern, ...]:
        """Every pattern of every sign."""
        return tuple(pattern for sign in self.signs for pattern in sign)


@dataclass(frozen=True)
class RedFlagMention:
    """A red flag found in the text, whether it is current, the words that showed it, and the
    language of the rules that found it (en, or es for the Spanish rules)."""

    red_flag: RedFlag
    current: bool
    start: int
    end: int
    language: str = "en"


@dataclass(frozen=True)
class ScreeningItem:
    """One line of an itemised safety question, and the red flags it asks about."""

    text: str
    red_flags: Tuple[str, ...]


@dataclass(frozen=True)
class RiskQuestion:
    """A yes/no/not-sure safety question of the symptom check."""

    slot: str
    text: str
    red_flags: Tuple[str, ...]
    source: str


@dataclass(frozen=True)
class AgeGroup:
    """An answer to "how old is the person with the pain?" and the red flags it brings."""

    name: str
    label: str
    red_flags: Tuple[str, ...] = ()


@dataclass(frozen=True)
class SafetyContent:
    """Red flags and safety questions, validated."""

    red_flags: Tuple[RedFlag, ...]
    screening: Dict[str, Tuple[ScreeningItem, ...]]
    risk_questions: Tuple[RiskQuestion, ...]
    age_groups: Tuple[AgeGroup, ...]
    vocabulary: Tuple[str, ...]
    cues: Optional[re.Pattern] = None


def expand_terms(pattern: str, terms: Dict[str, str], fail: Callable[[str], None]) -> str:
    """The pattern with every @term replaced by its (non-capturing) regular expression."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in terms:
            fail(f"unknown red-flag term @{name} in {pattern!r}")
        return f"(?:{terms[name]})"

    for _ in range(MAX_TERM_DEPTH):
        if not _TERM.search(pattern):
            return pattern
        pattern = _TERM.sub(replace, pattern)
    fail(f"red-flag terms nest too deep in {pattern[:80]!r}")
    return pattern


def _compile(pattern: str, terms: Dict[str, str], where: str, fail: Callable) -> re.Pattern:
    try:
        return re.compile(expand_terms(pattern, terms, fail), re.IGNORECASE)
    except re.error as error:
        fail(f"{where} has a broken pattern {pattern!r}: {error}")
        raise


def parse_red_flag(
    raw: Dict[str, Any], terms: Dict[str, str], guidance: Dict[str, str], fail: Callable
) -> RedFlag:
    """One entry of `red_flags`."""
    red_flag_id = raw.get("id")
    where = f"red flag {red_flag_id}"
    if raw.get("level") not in RED_FLAG_LEVELS:
        fail(f"{where} has a bad level")
    if raw.get("source") not in guidance:
        fail(f"{where} names unknown guidance")
    signs = [(_compile(p, terms, where, fail),) for p in raw.get("patterns", ())]
    for combination in raw.get("combinations", ()):
        if not isinstance(combination, list) or len(combination) < 2:
            fail(f"{where}: a combination needs a list of two or more patterns")
        signs.append(tuple(_compile(p, terms, where, fail) for p in combination))
    if not signs:
        fail(f"{where} has no patterns")
    return RedFlag(
        id=red_flag_id,
        level=raw["level"],
        label=raw["label"],
        source=raw["source"],
        signs=tuple(signs),
        unless=tuple(_compile(p, terms, where, fail) for p in raw.get("unless", ())),
        history_counts=bool(raw.get("history_counts", False)),
    )


def parse_spanish_red_flags(
    raw: Dict[str, Any], red_flags: Tuple[RedFlag, ...], fail: Callable
) -> Tuple[RedFlag, ...]:
    """`red_flags_es`: Spanish patterns for red flags of `red_flags`, written with the
    `red_flag_terms_es`; each keeps its red flag's id, level, label and source."""
    terms = {name: str(value) for name, value in (raw.get("red_flag_terms_es") or {}).items()}
    by_id = {flag.id: flag for flag in red_flags}
    spanish: List[RedFlag] = []
    for entry in raw.get("red_flags_es") or ():
        red_flag = by_id.get(entry.get("red_flag"))
        if red_flag is None:
            fail(f"red_flags_es names an unknown red flag {entry.get('red_flag')!r}")
            raise KeyError(entry.get("red_flag"))
        if any(flag.id == red_flag.id for flag in spanish):
            fail(f"red_flags_es lists {red_flag.id} twice")
        where = f"Spanish red flag {red_flag.id}"
        signs = [(_compile(p, terms, where, fail),) for p in entry.get("patterns", ())]
        for combination in entry.get("combinations", ()):
            if not isinstance(combination, list) or len(combination) < 2:
                fail(f"{where}: a combination needs a list of two or more patterns")
            signs.append(tuple(_compile(p, terms, where, fail) for p in combination))
        if not signs:
            fail(f"{where} has no patterns")
        unless = tuple(_compile(p, terms, where, fail) for p in entry.get("unless", ()))
        spanish.append(
            RedFlag(
                id=red_flag.id,
                level=red_flag.level,
                label=red_flag.label,
                source=red_flag.source,
                signs=tuple(signs),
                unless=unless,
                history_counts=red_flag.history_counts,
            )
        )
    return tuple(spanish)


def vocabulary_of(patterns: List[str], extra: List[str]) -> Tuple[str, ...]:
    """The whole words the patterns spell out, for the spelling repair to correct towards."""
    words: Set[str] = set(extra)
    for pattern in patterns:
        plain = re.sub(r"\\[a-zA-Z]|\[[^\]]*\]|\{[^}]*\}|\(\?[:!=<]+", " ", pattern)
        for word in re.findall(r"(?<![a-z'])[a-z]{4,}(?![a-z'?*+])", plain):
            words.add(word)
    return tuple(sorted(words))


def parse_safety(raw: Dict[str, Any], guidance: Dict[str, str], fail: Callable) -> SafetyContent:
    """`red_flag_terms`, `red_flags`, `safety_screening` and the symptom check's safety parts."""
    terms = {name: str(value) for name, value in (raw.get("red_flag_terms") or {}).items()}
    red_flags = tuple(parse_red_flag(flag, terms, guidance, fail) for flag in raw["red_flags"])
    known = {flag.id for flag in red_flags}

    def checked(ids: Any, where: str) -> Tuple[str, ...]:
        unknown = [red_flag_id for red_flag_id in ids or () if red_flag_id not in known]
        if unknown:
            fail(f"{where} names unknown red flags {unknown}")
        return tuple(ids or ())

    screening = {
        level: tuple(
            ScreeningItem(item["text"], checked(item.get("red_flags"), f"screening {level}"))
            for item in items
        )
        for level, items in (raw.get("safety_screening") or {}).items()
    }
    if set(screening) != set(RED_FLAG_LEVELS):
        fail("safety_screening needs an emergency and an urgent list")
    check = raw.get("symptom_check") or {}
    risk_questions = tuple(
        RiskQuestion(
            slot=question["slot"],
            text=" ".join(question["text"].split()),
            red_flags=checked(question.get("red_flags"), f"risk question {question['slot']}"),
            source=question["source"],
        )
        for question in check.get("risk_questions", ())
    )
    for question in risk_questions:
        if question.source not in guidance:
            fail(f"risk question {question.slot} names unknown guidance")
    age_groups = tuple(
        AgeGroup(name, group["label"], checked(group.get("red_flags"), f"age group {name}"))
        for name, group in (check.get("age_groups") or {}).items()
    )
    asked = {
        red_flag_id
        for items in screening.values()
        for item in items
        for red_flag_id in item.red_flags
    }
    asked |= {red_flag_id for question in risk_questions for red_flag_id in question.red_flags}
    asked |= {red_flag_id for group in age_groups for red_flag_id in group.red_flags}
    if known - asked:
        fail(f"red flags no safety question asks about: {sorted(known - asked)}")
    patterns = [str(p) for p in terms.values()] + [
        p for flag in raw["red_flags"] for p in flag.get("patterns", ())
    ]
    patterns += [p for flag in raw["red_flags"] for c in flag.get("combinations", ()) for p in c]
    vocabulary = vocabulary_of(patterns, list(raw.get("red_flag_spelling") or ()))
    cue_sources = [str(cue) for cue in raw.get("red_flag_cues") or ()]
    cues = _compile("|".join(f"(?:{cue})" for cue in cue_sources), terms, "red_flag_cues", fail)
    return SafetyContent(red_flags, screening, risk_questions, age_groups, vocabulary, cues)
