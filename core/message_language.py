"""Which language a message is written in, and whether it is surely one the assistant doesn't speak.

The assistant speaks English. A message is called foreign only when it is long enough to judge,
the detector (lingua, built once from a short list of the languages patients write in) is
confident about another language and gives English almost no chance, and hardly any of its words
are English grammar words (a second opinion for typo-ridden English: "wat r the symtoms").
Everything else, above all short replies ("ok", "si", "thx"), names, medical words ("psoas",
"NSAIDs") and text-speak, is read as English, as it always was. The thresholds were tuned on the
development list in tests/components/language_examples.yml and on every English example the
project has (NLU data, held-out file, red-flag development sets): none of those is foreign.

Pure Python with no Rasa imports: components/language_gate.py and the tests use it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional, Tuple

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

ENGLISH = "en"
# English and the languages patients most often write in; a language left out is read as its
# nearest neighbour here (so never as English), and answered in English.
LANGUAGES = (
    Language.ENGLISH,
    Language.SPANISH,
    Language.FRENCH,
    Language.PORTUGUESE,
    Language.GERMAN,
    Language.CHINESE,
    Language.ARABIC,
    Language.ITALIAN,
    Language.DUTCH,
    Language.POLISH,
    Language.TURKISH,
    Language.RUSSIAN,
    Language.HINDI,
    Language.JAPANESE,
    Language.KOREAN,
    Language.VIETNAMESE,
)
# In the Latin alphabet, shorter messages are answers, greetings or names ("muchas gracias",
# "José García"): too short to tell, so English.
MIN_WORDS = 3
MIN_LETTERS = 12
# Another alphabet (Chinese, Arabic, Cyrillic, Devanagari ...) says a lot by itself.
MIN_OTHER_ALPHABET_LETTERS = 2
# Lingua's confidences over the languages above add up to 1; close languages (Spanish,
# Portuguese, Italian) share it, so the top one needs less than certainty, but English must be
# all but ruled out.
MIN_CONFIDENCE = 0.35
MAX_ENGLISH_CONFIDENCE = 0.1
# English grammar words that are not also words of the languages above ("a", "no", "me", "in",
# "do", "was", "he" and "has" are): even misspelt English is full of them, other languages are
# not.
ENGLISH_GRAMMAR_WORDS = frozenset(
    "the and you your my is are what how when with have this that it it's i'm i've can can't "
    "don't doesn't to for from but not why where who please of at be will would should could "
    "just get been am they their our we she her his him its any some these those "
    # Short words other languages rarely use, and their text-speak spellings ("can i take
    # diclofenac tablets and rub on voltaren gel too" is English).
    "i too does did was were if or up out about there off after than then also now still "
    "really very much need want im ive dont cant".split()
)
MAX_ENGLISH_GRAMMAR_SHARE = 0.2
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class LanguageReading:
    """The most likely language of a message (ISO 639-1), how sure the detector is of it and of
    English, and whether the message is surely not English."""

    language: str
    confidence: float
    english_confidence: float
    foreign: bool


@functools.lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    """The detector, its language models loaded once per process (a few seconds, ~350 MB)."""
    return (
        LanguageDetectorBuilder.from_languages(*LANGUAGES).with_preloaded_language_models().build()
    )


def _letters(text: str) -> Tuple[int, int]:
    """How many letters of the Latin alphabet, and of any other, the text has."""
    latin = other = 0
    for character in text:
        if character.isalpha():
            if unicodedata.name(character, "").startswith("LATIN"):
                latin += 1
            else:
                other += 1
    return latin, other


def long_enough(text: str) -> bool:
    """Whether the message says enough to tell its language at all."""
    latin, other = _letters(text)
    if other > latin:
        return other >= MIN_OTHER_ALPHABET_LETTERS
    words = [word for word in text.split() if any(character.isalpha() for character in word)]
    return len(words) >= MIN_WORDS and latin >= MIN_LETTERS


def english_grammar_share(text: str) -> float:
    """The share of the message's words that are English grammar words."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    if not words:
        return 0.0
    return sum(1 for word in words if word in ENGLISH_GRAMMAR_WORDS) / len(words)


def read_language(text: str) -> Optional[LanguageReading]:
    """The detector's reading of a message, or None when it is too short to tell."""
    if not long_enough(text):
        return None
    confidences = detector().compute_language_confidence_values(text)
    if not confidences:
        return None
    english = next(
        (value.value for value in confidences if value.language == Language.ENGLISH), 0.0
    )
    top = confidences[0]
    code = top.language.iso_code_639_1.name.lower()
    foreign = (
        code != ENGLISH
        and top.value >= MIN_CONFIDENCE
        and english <= MAX_ENGLISH_CONFIDENCE
        and english_grammar_share(text) < MAX_ENGLISH_GRAMMAR_SHARE
    )
    return LanguageReading(code, top.value, english, foreign)


def foreign_language(text: str) -> Optional[str]:
    """The ISO 639-1 code of the language a message is surely written in, when that is not
    English; None for English and for anything short or unclear."""
    reading = read_language(text)
    return reading.language if reading and reading.foreign else None
