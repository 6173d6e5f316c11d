"""Reading a patient's answer to a yes/no safety question: yes, no, not sure, or no answer.

A safety question is never answered by a guess. "is it psoas or not, yes or no" is a question
back, not a "no", so the question is asked again. A hedged "no" ("don't think so", "not really")
is not a clear no: it counts as "not sure". A sign that is there a little ("a bit", "sometimes")
is there: it counts as "yes".
"""

from __future__ import annotations

import re
from typing import Optional

YES = "yes"
NO = "no"
NOT_SURE = "not_sure"
ANSWERS = (YES, NO, NOT_SURE)

# The intents that button presses and short typed answers arrive as.
ANSWER_INTENTS = {"affirm": YES, "deny": NO, "not_sure": NOT_SURE}


def _words(*phrases: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)


_QUESTION_BACK = re.compile(r"\?|\byes\s+or\s+no\b|\bor\s+not\b", re.IGNORECASE)
_UNCERTAIN = _words(
    r"not\s+(?:too\s+|really\s+|entirely\s+|100%?\s+)?sure", r"unsure", r"uncertain",
    r"(?:i\s+)?(?:don'?t|do\s+not|dont)\s+know", r"dunno", r"idk", r"no\s+idea", r"maybe",
    r"possibly", r"perhaps", r"might\s+(?:be|have)", r"could\s+be", r"hard\s+to\s+(?:say|tell)",
    r"can'?t\s+(?:say|tell)", r"cannot\s+(?:say|tell)", r"not\s+that\s+i", r"i\s+guess",
    r"not\s+really", r"not\s+exactly", r"not\s+much", r"probably\s+not",
    r"(?:i\s+)?(?:don'?t|do\s+not|dont)\s+think", r"i\s+wouldn'?t\s+say", r"h+m+", r"e+r+m+",
    r"u+m+",
)  # fmt: skip
_LEANING_YES = _words(
    r"i\s+think\s+so", r"i\s+believe\s+so", r"pretty\s+sure", r"probably(?!\s+not)",
    r"i\s+think\s+i\s+(?:do|have|am)", r"a\s+(?:little\s+)?bit", r"a\s+little", r"slightly",
    r"sometimes", r"on\s+and\s+off", r"now\s+and\s+(?:then|again)", r"a\s+few\s+times",
    r"kind\s+of", r"kinda", r"sort\s+of", r"sorta", r"partly", r"somewhat",
)  # fmt: skip
_CLEAR_NO = re.compile(
    r"^\W*(?:no+|nope|nah|none|never|negative|neither|not\s+at\s+all|definitely\s+not|"
    r"absolutely\s+not|certainly\s+not|nothing(?:\s+like\s+that)?|"
    r"none\s+of\s+(?:these|them|those|that|the\s+above)|no\s+to\s+all|"
    r"i\s+(?:don'?t|dont|do\s+not|haven'?t|have\s+not)(?=(?:\s+(?:have|got|think\s+so|feel|"
    r"notice|see))?(?:\s+(?:any|anything|it|that|them|those|these)(?:\s+of\s+(?:those|these|"
    r"them))?)?\W*$)|not\s+any)\b",
    re.IGNORECASE,
)
_CLEAR_YES = re.compile(
    r"^\W*(?:y|ye+s+|yeah|yea|yep|yup|ya|aye|sure|definitely|absolutely|certainly|correct|"
    r"affirmative|true|i\s+do|i\s+have|i\s+am|i'?m\s+afraid\s+so|that'?s\s+right|"
    r"uh\s+huh|mhm+)\b",
    re.IGNORECASE,
)
# "no, but ...", "no except ..." add something: not a clean no.
_QUALIFIED = _words(r"but", r"except", r"apart\s+from", r"although", r"though", r"only", r"just")
# An acknowledgement is not an answer to "do you have any of these?".
_ACKNOWLEDGEMENT = re.compile(
    r"^\W*(?:ok(?:ay)?|k|alright|all\s+right|fine|cool|got\s+it|right|understood)\W*$", re.I
)
# A clean "no" is short; a long message that starts with "no" is saying something else.
MAX_NO_WORDS = 8
MAX_INTENT_ONLY_WORDS = 3


def screening_answer(text: str, intent: Optional[str] = None) -> Optional[str]:
    """YES, NO or NOT_SURE for an answer to a yes/no safety question; None when the message
    does not answer it. `intent` is the NLU's reading; a button press is its payload."""
    text = (text or "").strip()
    if text.startswith("/"):
        return ANSWER_INTENTS.get(text[1:].split("{")[0].strip())
    if not text or _QUESTION_BACK.search(text) or _ACKNOWLEDGEMENT.match(text):
        return None
    uncertain, leaning_yes = _UNCERTAIN.search(text), _LEANING_YES.search(text)
    no, yes = _CLEAR_NO.search(text), _CLEAR_YES.search(text)
    if uncertain:
        return NOT_SURE
    if leaning_yes or yes:
        return NOT_SURE if no else YES
    if no:
        clean = not _QUALIFIED.search(text) and len(text.split()) <= MAX_NO_WORDS
        return NO if clean else NOT_SURE
    if len(text.split()) <= MAX_INTENT_ONLY_WORDS and intent in ANSWER_INTENTS:
        return ANSWER_INTENTS[intent]
    return None
