"""Spot red flags in what a person writes, leaving out denied, past and hypothetical mentions.

Pure Python with no Rasa imports, so the NLU pipeline (components/red_flag_detector.py), the
channels' guard and the action server all use the same rules. The rules themselves live in the
content file (see core/safety_content.py); the text is made regular first (typos, text-speak,
missing apostrophes: core/patient_text.py) and each match is judged current or not
(core/mention_status.py). The content file's Spanish rules are read as well
(core/spanish_red_flags.py).
"""

from __future__ import annotations

import functools
import re
from typing import Dict, List, Optional, Sequence, Tuple

from core.knowledge import RED_FLAG_LEVELS, RedFlag, get_knowledge
from core.mention_status import (
    CURRENT,
    DENIAL_MARK,
    DENIED,
    HISTORY_MARK,
    LASTING_MARK,
    clauses,
    mention_status,
)
from core.patient_text import SpellingRepair, original_span, regular_text
from core.safety_content import RedFlagMention
from core.spanish_red_flags import find_spanish_mentions


@functools.lru_cache(maxsize=1)
def _spelling_repair() -> SpellingRepair:
    return SpellingRepair(get_knowledge().red_flag_vocabulary)


def prepare(text: str) -> str:
    """The regular form of a message that the red-flag rules read."""
    return regular_text(text, _spelling_repair())


def _matches(pattern: re.Pattern, parts: List[Tuple[int, str]], history: bool) -> List[Tuple]:
    """(current, start, end) for the first match of the pattern in each clause."""
    # A standing fact (an age, a medicine, a transplant) is neither over nor a story's end.
    standing_fact = pattern.pattern.startswith(HISTORY_MARK)
    history = history or standing_fact
    lasting = standing_fact or pattern.pattern.startswith(LASTING_MARK)
    found = []
    for index, (offset, clause) in enumerate(parts):
        match = pattern.search(clause)
        if match:
            following = " ".join(clause for _, clause in parts[index + 1 :])
            status = mention_status(clause, match.start(), match.end(), history, following, lasting)
            found.append((status == CURRENT, offset + match.start(), offset + match.end()))
    return found


def _said(pattern: re.Pattern, parts: List[Tuple[int, str]]) -> bool:
    """Whether the pattern is said as a fact, not denied or only asked about. A pattern marked
    (?#denial) is a denial itself ("I'm not on any", "this pain isn't new"): its own negation
    does not hide it."""
    denial = pattern.pattern.startswith(DENIAL_MARK)
    for _, clause in parts:
        match = pattern.search(clause)
        if not match:
            continue
        status = mention_status(clause, match.start(), match.end(), True)
        if status == CURRENT or (denial and status == DENIED):
            return True
    return False


def _mention(red_flag: RedFlag, parts: List[Tuple[int, str]]) -> Optional[RedFlagMention]:
    """The red flag's best mention in the clauses: a current one if any sign is current."""
    history = red_flag.history_counts
    best: Optional[RedFlagMention] = None
    for sign in red_flag.signs:
        found = [_matches(pattern, parts, history) for pattern in sign]
        if not all(found):
            continue
        current = [[match for match in matches if match[0]] for matches in found]
        if all(current):
            start = min(matches[0][1] for matches in current)
            end = max(matches[0][2] for matches in current)
            return RedFlagMention(red_flag, True, start, end)
        if best is None:
            best = RedFlagMention(red_flag, False, found[0][0][1], found[0][0][2])
    return best


def _cancelled(red_flag: RedFlag, parts: List[Tuple[int, str]]) -> bool:
    return any(_said(pattern, parts) for pattern in red_flag.unless)


def find_mentions(text: str, red_flags: Optional[Sequence[RedFlag]] = None) -> List[RedFlagMention]:
    """Every red flag mentioned in the text, each marked current or not (denied, past, asked).
    Without a list of red flags to look for, the content file's Spanish rules are read too
    (core/spanish_red_flags.py); a flag the English rules already found current is not
    repeated."""
    flags = get_knowledge().red_flags if red_flags is None else red_flags
    regular = prepare(text)
    parts = clauses(regular)
    mentions = []
    for red_flag in flags:
        mention = _mention(red_flag, parts)
        if mention is None:
            continue
        current = mention.current and not (red_flag.unless and _cancelled(red_flag, parts))
        start, end = original_span(text, regular, mention.start, mention.end)
        mentions.append(RedFlagMention(red_flag, current, start, end))
    if red_flags is None:
        found = {mention.red_flag.id for mention in mentions if mention.current}
        mentions += [m for m in find_spanish_mentions(text) if m.red_flag.id not in found]
    return mentions


def current_red_flags(text: str) -> List[RedFlag]:
    """Red flags the person says are there now, most serious first, each once."""
    seen: Dict[str, RedFlag] = {}
    for mention in find_mentions(text):
        if mention.current:
            seen.setdefault(mention.red_flag.id, mention.red_flag)
    return sorted(seen.values(), key=lambda flag: RED_FLAG_LEVELS.index(flag.level))


def highest_level(red_flags: Sequence[RedFlag]) -> Optional[str]:
    """The most serious level among these red flags, or None when there are none."""
    levels = {flag.level for flag in red_flags}
    return next((level for level in RED_FLAG_LEVELS if level in levels), None)


def higher_level(*levels: Optional[str]) -> Optional[str]:
    """The most serious of these levels (None where none is a red-flag level)."""
    return next((level for level in RED_FLAG_LEVELS if level in levels), None)
