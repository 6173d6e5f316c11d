"""Patient text made regular before red flags are looked for in it.

People type fast and worried: "cant feel my bum rn", "numbess", "bladdar", "hubby", "80yo". The
red-flag rules are written once, for regular English; this module brings the message to that
form: curly quotes and case evened out, apostrophes put back into contractions, common
text-speak spelled out, letters repeated for emphasis squeezed, and misspelt words corrected
towards the words the rules use. Only words that are not English at all are corrected, so
"number" never becomes "numb".
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from typing import Dict, Iterable, Optional, Tuple

from spellchecker import SpellChecker

# Contractions typed without their apostrophe.
_CONTRACTIONS = {
    "cant": "can't",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "isnt": "isn't",
    "arent": "aren't",
    "wasnt": "wasn't",
    "werent": "weren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "hadnt": "hadn't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "wont": "won't",
    "aint": "ain't",
    "im": "i'm",
    "ive": "i've",
    "youre": "you're",
    "theyre": "they're",
    "thats": "that's",
    "whats": "what's",
    "hes": "he's",
    "shes": "she's",
}
# Text-speak spelled out; the words the red-flag rules read.
_TEXT_SPEAK = {
    "u": "you",
    "ur": "your",
    "rn": "right now",
    "atm": "at the moment",
    "b4": "before",
    "2day": "today",
    "2nite": "tonight",
    "tonite": "tonight",
    "2moro": "tomorrow",
    "tmrw": "tomorrow",
    "bc": "because",
    "bcos": "because",
    "cos": "because",
    "coz": "because",
    "cuz": "because",
    "thru": "through",
    "abt": "about",
    "tho": "though",
    "hubby": "husband",
    "hubs": "husband",
    "wifey": "wife",
    "pls": "please",
    "plz": "please",
    "ppl": "people",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "hrs": "hours",
    "hr": "hour",
    "wks": "weeks",
    "wk": "week",
    "yrs": "years",
    "yr": "year",
    "mins": "minutes",
    "temp": "temperature",
    "tbh": "",
    "lol": "",
    "omg": "",
    "pee'd": "peed",
    "n": "and",
    "rly": "really",
    "temps": "temperatures",
    "weightloss": "weight loss",
    # Scots and Irish everyday spellings.
    "cannae": "can't",
    "canna": "can't",
    "couldnae": "couldn't",
    "didnae": "didn't",
    "dinnae": "don't",
    "disnae": "doesn't",
    "isnae": "isn't",
    "wasnae": "wasn't",
    "wouldnae": "wouldn't",
    "nae": "no",
    "ma": "my",
    "wi": "with",
    "tae": "to",
    "doon": "down",
    "roon": "round",
    "aboot": "about",
    "oot": "out",
    "sair": "sore",
    "no'": "not",
    "hx": "history",
}
# "80yo", "7 y/o", "6yrs old" -> "80 year old".
_AGE_SHORTHAND = re.compile(
    r"\b(\d{1,3})\s*-?\s*(?:yo|y/o|y\.o\.?|yrs?[\s-]*old|years?[\s-]*old)\b", re.I
)
# Words people type for others that sound the same: "my leg feels week", "can't bare weight",
# "I can't P".
_SOUND_ALIKES = (
    (re.compile(r"\b(feels?|feeling|felt|more|getting|gone|going|so|very|too|really|bit|is|are|"
                r"quite|got|go|went|and) week\b"), r"\1 weak"),
    (re.compile(r"\bweek(ness|er|est)\b"), r"weak\1"),
    (re.compile(r"\b(to|a|for a|do a|have a|need a|go for a) p\b"), r"\1 pee"),
    # Voice typing: "bowel can sir", "had a fool in the bathroom", "food drop", "chess pain".
    (re.compile(r"\bcan sir\b"), "cancer"),
    (re.compile(r"\b(had a|have had a|a bad|a nasty|another) fool\b"), r"\1 fall"),
    (re.compile(r"\bfood drop\b"), "foot drop"),
    (re.compile(r"\bchess (pain|pains|tightness|pressure)\b"), r"chest \1"),
    (re.compile(r"\b(my|his|her|the|left|right) thai\b"), r"\1 thigh"),
    (re.compile(r"\bsad all (area|region)\b"), r"saddle \1"),
)  # fmt: skip
NUMBER_WORDS = {
    word: str(number)
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen".split()
    )
}
# "Foot's gone floppy", "thigh's went numb", "son's 13": the 's is "has" or "is".
_POSSESSIVE_VERB = (
    (re.compile(r"\b(?!(?:it|that|what|there|here|he|she|who|let)'s)([a-z]+)'s "
                r"(?=(?:gone|went|been|got|become|come|started)\b)"), r"\1 has "),
    (re.compile(r"\b(son|daughter|boy|girl|kid|child|grandson|granddaughter|nephew|niece|"
                r"brother|sister|lad|lass|mum|mom|dad|wife|husband|man|one|stepson|"
                r"stepdaughter)'s (?=\d)"), r"\1 is "),
    # "my son is eight": ages in words, where they are ages.
    (re.compile(r"\b(is|aged|age|turned|he's|she's|'s) (two|three|four|five|six|seven|eight|nine|"
                r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen)\b"),
     lambda match: f"{match.group(1)} {NUMBER_WORDS[match.group(2)]}"),
    # "me leg", "me back": "my".
    (re.compile(r"\bme (?=(?:left |right )?(?:leg|legs|back|hip|hips|foot|feet|knee|chest|arm|bum|"
                r"groin|thigh|belly|stomach|bladder|wife|husband|son|daughter|mum|dad|old man|"
                r"old fella)\b)"), "my "),
)  # fmt: skip
_WITH_WITHOUT = ((re.compile(r"\bw/o\b"), "without"), (re.compile(r"\bw/(?=\s|[a-z])"), "with "))
_QUOTE_MARK = re.compile(r"(?<![a-z])'|'(?![a-z])")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_REPEATED_LETTERS = re.compile(r"([a-z])\1{2,}")
_WORD = re.compile(r"[a-z][a-z']*[a-z]|[a-z0-9]+")
# Short words are too easy to "correct" into something else.
MIN_CORRECTABLE_LENGTH = 5


def _edit_distance(first: str, second: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), or limit + 1 when above it."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous_row: Optional[list] = None
    row = list(range(len(second) + 1))
    for i in range(1, len(first) + 1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(second)
        for j in range(1, len(second) + 1):
            cost = first[i - 1] != second[j - 1]
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if (
                before is not None
                and i > 1
                and j > 1
                and first[i - 1] == second[j - 2]
                and first[i - 2] == second[j - 1]
            ):
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
    return row[-1]


def allowed_edits(word: str) -> int:
    """How many typing slips a word of this length may carry and still be recognised."""
    return 1 if len(word) < 8 else 2


class SpellingRepair:
    """Corrects words that are not English towards a vocabulary (the red-flag rules' words)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(word.lower() for word in vocabulary)
        self._dictionary = _english_dictionary()
        self._by_length: Dict[int, Tuple[str, ...]] = {}
        for word in self.vocabulary:
            self._by_length.setdefault(len(word), ())
            self._by_length[len(word)] += (word,)

    def correct(self, word: str) -> str:
        """The vocabulary word this one is a slip of, or the word unchanged."""
        if (
            len(word) < MIN_CORRECTABLE_LENGTH
            or word in self.vocabulary
            or not word.isalpha()
            or word in self._dictionary
        ):
            return word
        limit = allowed_edits(word)
        best, best_distance, tied = word, limit + 1, False
        for length in range(len(word) - limit, len(word) + limit + 1):
            for candidate in self._by_length.get(length, ()):
                distance = _edit_distance(word, candidate, limit)
                if distance < best_distance:
                    best, best_distance, tied = candidate, distance, False
                elif distance == best_distance and candidate != best:
                    tied = True
        return word if tied or best_distance > limit else best


@functools.lru_cache(maxsize=1)
def _english_dictionary() -> SpellChecker:
    return SpellChecker(distance=1)


def _respell(word: str, repair: Optional[SpellingRepair]) -> str:
    squeezed = _REPEATED_LETTERS.sub(r"\1", word) if _REPEATED_LETTERS.search(word) else word
    if squeezed in _CONTRACTIONS:
        return _CONTRACTIONS[squeezed]
    if squeezed in _TEXT_SPEAK:
        return _TEXT_SPEAK[squeezed]
    if repair is None:
        return squeezed
    if squeezed != word and (squeezed in repair.vocabulary or squeezed in repair._dictionary):
        return squeezed
    return repair.correct(squeezed)


def regular_text(text: str, repair: Optional[SpellingRepair] = None) -> str:
    """The message in regular, lower-case English for the red-flag rules."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    text = _AGE_SHORTHAND.sub(r"\1 year old", text)
    # Quotes around a word ("her 'sit-upon'") are not apostrophes.
    text = _QUOTE_MARK.sub("", text)
    for shorthand, meaning in (*_WITH_WITHOUT, *_SOUND_ALIKES):
        text = shorthand.sub(meaning, text)
    text = _WORD.sub(lambda match: _respell(match.group(0), repair), text)
    for shorthand, meaning in _POSSESSIVE_VERB:
        text = shorthand.sub(meaning, text)
    return re.sub(r"[ \t]{2,}", " ", text)


def original_span(original: str, regular: str, start: int, end: int) -> Tuple[int, int]:
    """Where regular[start:end] lies in the original message, widened to whole words."""
    matcher = difflib.SequenceMatcher(None, original.lower(), regular, autojunk=False)

    def to_original(position: int) -> int:
        for tag, first_start, first_end, second_start, second_end in matcher.get_opcodes():
            if second_start <= position < second_end or position == second_end == len(regular):
                if tag == "equal":
                    return first_start + (position - second_start)
                return first_start if position == second_start else first_end
        return len(original)

    begin, finish = to_original(start), to_original(max(start, end - 1)) + 1
    while begin > 0 and original[begin - 1].isalnum():
        begin -= 1
    while finish < len(original) and original[finish].isalnum():
        finish += 1
    return begin, min(finish, len(original))
