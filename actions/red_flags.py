"""Spot red flags in what a person writes, leaving out denied, past and hypothetical mentions.

Pure Python with no Rasa imports, so both the NLU pipeline (components/red_flag_detector.py)
and the action server use the same rules. The patterns themselves live in the content file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from actions.knowledge import RED_FLAG_LEVELS, RedFlag, get_knowledge

# A red flag the classifier is sure of but no pattern names is treated as urgent: that advice
# also says to call the emergency number if things get worse.
UNNAMED_RED_FLAG_LEVEL = "urgent"

# "but", "however" and sentence ends start a new thought: "no fever but I can't walk" holds a
# denied flag and a current one.
_CLAUSE_BREAK = re.compile(r"[.!?;\n]+|,?\s+\b(?:but|however|although|though|whereas)\b", re.I)

# A negation shortly before the sign denies it ("no fever", "I haven't lost weight"). "No longer"
# means the opposite, so it is not a negation.
_NEGATION_BEFORE = re.compile(
    r"\b(?:no(?!\s+longer)|not|never|without|none|nor|neither|don'?t|do not|doesn'?t|does not|"
    r"didn'?t|did not|haven'?t|have not|hasn'?t|has not|isn'?t|aren'?t|wasn'?t|weren'?t|"
    r"deny|denies|free of|ruled out|negative for|zero)\b(?:\W+\w+){0,4}\W*$",
    re.I,
)
# A denial right after the sign: "fever: none", "bladder control: fine". ("fever? no" is split
# at the "?" and so still escalates: when unsure, the safer side.)
_NEGATION_AFTER = re.compile(
    r"^\W*(?:no|none|nope|not really|negative|is fine|are fine|fine|normal|ok|okay)\b", re.I
)
# A denial inside the matched words: "my thigh isn't numb".
# Patterns contain "can't" and "not able to" themselves, so only these words count here.
_NEGATION_INSIDE = re.compile(
    r"\b(?:isn'?t|aren'?t|wasn'?t|weren'?t|never|not (?:numb|weak|dead|swollen|getting))\b", re.I
)
# Events long past are history, not a current emergency: "I had a car crash ten years ago".
_PAST = re.compile(
    r"\b(?:years?|decades?) ago\b|\blong (?:time )?ago\b|\bas a (?:kid|child|teen(?:ager)?)\b|"
    r"\bwhen i was (?:young|little|a kid|a child|a teen(?:ager)?)\b|\byears back\b|"
    r"\bin (?:19|20)\d\d\b|\bused to\b|\blast (?:year|winter|summer|spring|autumn)\b",
    re.I,
)
# Questions about signs in general are not reports: "what if I get a fever?".
_HYPOTHETICAL = re.compile(
    r"\b(?:what if|what (?:would|will) happen if|what happens if|"
    r"if i (?:ever|get|got|start|develop|were)|in case|should i worry|"
    r"when should|what are the|what counts|warning signs?|red flags?|"
    r"(?:can|could|does|would) (?:it|this|iliopsoas|psoas)\b.{0,30}\bcause)\b",
    re.I,
)
# A general question with no "I" or "my" in it asks about the sign, it does not report it:
# "is sudden tearing pain something to worry about?".
_QUESTION_OPENER = re.compile(
    r"^\W*(?:is|are|does|do|can(?!'|not)|could|what|when|how|should|would|which)\b", re.I
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'?m|i'?ve|i'?d|me|my|mine|myself)\b", re.I)


@dataclass(frozen=True)
class RedFlagMention:
    """One place in the text where a red flag's pattern matched, and whether it is current."""

    red_flag: RedFlag
    current: bool
    start: int
    end: int


def _clauses(text: str) -> List[Tuple[int, str]]:
    """The text's clauses, each with where it starts in the text."""
    clauses, start = [], 0
    for separator in _CLAUSE_BREAK.finditer(text):
        clauses.append((start, text[start : separator.start()]))
        start = separator.end()
    clauses.append((start, text[start:]))
    return [(offset, clause) for offset, clause in clauses if clause.strip()]


def _is_current(clause: str, match: re.Match, red_flag: RedFlag) -> bool:
    before, after = clause[: match.start()], clause[match.end() :]
    if _NEGATION_BEFORE.search(before) or _NEGATION_AFTER.search(after):
        return False
    if _NEGATION_INSIDE.search(match.group(0)):
        return False
    if _HYPOTHETICAL.search(before):
        return False
    if _QUESTION_OPENER.search(clause) and not _FIRST_PERSON.search(clause):
        return False
    return red_flag.history_counts or not _PAST.search(clause)


def find_mentions(text: str, red_flags: Optional[Sequence[RedFlag]] = None) -> List[RedFlagMention]:
    """Every red flag mentioned in the text, each marked current or not (denied, past, asked)."""
    flags = get_knowledge().red_flags if red_flags is None else red_flags
    mentions: List[RedFlagMention] = []
    for offset, clause in _clauses(text):
        for red_flag in flags:
            for pattern in red_flag.patterns:
                match = pattern.search(clause)
                if match:
                    current = _is_current(clause, match, red_flag)
                    start, end = offset + match.start(), offset + match.end()
                    mentions.append(RedFlagMention(red_flag, current, start, end))
                    break
    return mentions


def current_red_flags(text: str) -> List[RedFlag]:
    """Red flags the person says they have now, most serious first, each once."""
    seen: dict = {}
    for mention in find_mentions(text):
        if mention.current:
            seen.setdefault(mention.red_flag.id, mention.red_flag)
    return sorted(seen.values(), key=lambda flag: RED_FLAG_LEVELS.index(flag.level))


def highest_level(red_flags: Sequence[RedFlag]) -> Optional[str]:
    """The most serious level among these red flags, or None when there are none."""
    levels = [flag.level for flag in red_flags]
    for level in RED_FLAG_LEVELS:
        if level in levels:
            return level
    return None
