"""Red flags written in Spanish, the clinics' most common second language.

The content file's `red_flags_es` section gives Spanish patterns for existing red flags, which
keep their level and source (core/safety_content.py). Patterns are written in lower case
without accents ("orinar", "se cayo", "nino", "anos"), because the message is read that way:
accents and the tilde of ñ are dropped, so "no puedo orinar" and "no puedo orinár" read the
same. A match counts when it is said about now, judged per clause in Spanish:
- a negation counts only when it negates the verb whose object is the sign ("no tengo fiebre",
  "sin fiebre", "nunca he tenido fiebre"), not another verb ("no puedo dormir por la fiebre"),
  and not in "no se me quita" or "no sé si", which deny nothing;
- "qué pasa si", "en caso de", "cuáles son los síntomas de alarma" make it a question; a bare
  "si" does not, as typed without its accent it is also "yes" ("si tengo fiebre");
- "hace años", "de niño" put it in the past unless "ahora", "hoy" or "desde" bring it back;
  "ya se me pasó" says it is over. Standing facts in a combination (an age, a blood thinner),
  marked (?#history), are never past.

Pure Python, like core/red_flags.py, which adds these mentions to the English ones.
"""

from __future__ import annotations

import re
import unicodedata
from typing import List, Optional, Sequence, Tuple

from core.knowledge import get_knowledge
from core.mention_status import CURRENT, DENIED, HISTORY_MARK, HYPOTHETICAL, PAST
from core.safety_content import RedFlag, RedFlagMention

SPANISH = "es"
_CLAUSE_BREAK = re.compile(
    r"[.!?;:\n¿¡]+|\s*\b(?:pero|aunque|sin embargo|excepto|salvo|menos mal que|y ahora)\b",
    re.IGNORECASE,
)
_NEGATION = r"(?:no|nunca|jamas|tampoco|ni|sin|ningun|ninguna|ninguno|nada de)"
_CLITICS = r"(?:(?:me|te|se|le|lo|la|les|nos|ya|ni) )*"
_DETERMINERS = (
    r"(?:(?:ni|nada de|ningun|ninguna|ningun tipo de|un|una|unos|unas|el|la|los|las|mas|ya|"
    r"tanta|tanto|mucha|mucho|problemas? de|problemas? para|sintomas? de) )*"
)
# "no tengo fiebre", "no he tenido fiebre", "sin fiebre", "ni escalofrios": the negation, the
# verb it negates (perhaps after "he"/"ha"), then only articles and quantities up to the sign.
_NEGATED_SIGN = re.compile(
    rf"\b{_NEGATION} {_CLITICS}(?:(?:he|ha|has|hemos|han|habia|hay|hubo) )?(?:\w+ )?"
    rf"{_DETERMINERS}$"
)
_NEGATION_RIGHT_BEFORE = re.compile(rf"\b{_NEGATION} {_CLITICS}{_DETERMINERS}$")
# Negations that deny nothing: "no se me quita", "no baja", "no para de", "no sé si".
_PSEUDO_NEGATION = re.compile(
    r"\bno (?:(?:me|se|le) )?(?:puedo|puede|pudo|pude|podia|consigo|consigue) (?:\w+ ){0,2}"
    r"(?:ninguna|ninguno|ni)\b|"
    r"\bno (?:(?:me|te|se|le|nos) )*(?:quita|quitan|pasa|pasan|va|van|alivia|alivian|calma|"
    r"calman|baja|bajan|cede|ceden|mejora|mejoran|para de|deja de|desaparece)\b|"
    r"\bno (?:lo )?(?:se|sabe|sabemos|entiendo) (?:si|que|por que|porque|como|cuando|donde|bien|"
    r"exactamente)\b|\bno (?:estoy segur[ao]|solo)\b"
)
_CONDITIONAL = re.compile(
    r"\b(?:que (?:pasa|pasaria|hago|haria|debo hacer|tengo que hacer|hay que hacer) (?:si|cuando)|"
    r"y si|en caso de|por si|si (?:llegara|llego a|llegase|tuviera|tuviese|hubiera|notara|"
    r"notase|empezara|empezase|apareciera|me pasa|le pasa)|cuales son|"
    r"(?:senales|sintomas|signos) de (?:alarma|alerta)|puede (?:causar|provocar|dar|producir)|"
    r"podria (?:causar|provocar|dar)|es (?:grave|peligroso) si|"
    r"cuando (?:debo|deberia|hay que|tengo que) (?:ir|llamar|preocupar)|miedo (?:a|de)|"
    r"(?<!lo que )me preocupa (?:que|tener)|vigilar si|estar atent[ao] a|si alguien|"
    r"por curiosidad)\b"
)
_LONG_AGO = re.compile(
    r"\b(?:(?<!desde )hace (?:\w+ ){0,2}(?:anos|meses|mucho tiempo|tiempo)|"
    r"de (?:nino|nina|pequeno|pequena|"
    r"joven|chico|chica|adolescente)|cuando (?:era|tenia|estaba embarazada)|el ano pasado|"
    r"en el pasado|antes (?:tenia|tuve|sufria))\b"
)
_NOW = re.compile(
    r"\b(?:ahora|hoy|desde (?:ayer|anoche|hoy|esta|hace (?:unos|unas|un|una|\d+) (?:horas|dias|"
    r"rato|minutos))|otra vez|de nuevo|esta (?:manana|tarde|noche)|estos dias)\b"
)
# "la fiebre ya se me paso", or the next clause: "tuve fiebre, pero ya se me paso".
_OVER_AFTER = re.compile(
    r"^\W*(?:\w+ ){0,3}ya (?:se (?:me |le )?)?(?:paso|fue|quito|desaparecio)\b"
)


def spanish_text(text: str) -> str:
    """The message in lower case without accents or tildes, letter for letter once its accents
    are composed (NFC, as typed text usually is), so positions in it are positions in it."""
    text = unicodedata.normalize("NFC", text)
    plain = []
    for character in text:
        base = unicodedata.normalize("NFD", character)[0].lower()[:1]
        plain.append(base if len(base) == 1 else character)
    return "".join(plain)


def _clauses(text: str) -> List[Tuple[int, str]]:
    found, start = [], 0
    for separator in _CLAUSE_BREAK.finditer(text):
        found.append((start, text[start : separator.start()]))
        start = separator.end()
    found.append((start, text[start:]))
    return [(offset, clause) for offset, clause in found if clause.strip()]


def _negated(before: str) -> bool:
    cleaned = _PSEUDO_NEGATION.sub(lambda match: "_" * len(match.group(0)), before)
    return bool(_NEGATED_SIGN.search(cleaned) or _NEGATION_RIGHT_BEFORE.search(cleaned))


def spanish_mention_status(
    clause: str, start: int, end: int, history_counts: bool = False, following: str = ""
) -> str:
    """CURRENT, DENIED, PAST or HYPOTHETICAL for the Spanish sign at clause[start:end];
    `following` is the next clause."""
    before = clause[:start]
    if _negated(before):
        return DENIED
    if _CONDITIONAL.search(before):
        return HYPOTHETICAL
    if history_counts:
        return CURRENT
    if _OVER_AFTER.search(clause[end:]) or _OVER_AFTER.search(following):
        return PAST
    if _LONG_AGO.search(clause) and not _NOW.search(clause):
        return PAST
    return CURRENT


def _found(pattern: re.Pattern, parts: List[Tuple[int, str]], history: bool) -> List[Tuple]:
    """(current, start, end) for the first match of the pattern in each clause."""
    history = history or pattern.pattern.startswith(HISTORY_MARK)
    matches = []
    for index, (offset, clause) in enumerate(parts):
        match = pattern.search(clause)
        if match:
            following = parts[index + 1][1] if index + 1 < len(parts) else ""
            status = spanish_mention_status(clause, match.start(), match.end(), history, following)
            matches.append((status == CURRENT, offset + match.start(), offset + match.end()))
    return matches


def _mention(red_flag: RedFlag, parts: List[Tuple[int, str]]) -> Optional[RedFlagMention]:
    best: Optional[RedFlagMention] = None
    for sign in red_flag.signs:
        # Every part of a sign must match: stop at the first that does not (most messages).
        found: List[List[Tuple]] = []
        for pattern in sign:
            matches = _found(pattern, parts, red_flag.history_counts)
            if not matches:
                break
            found.append(matches)
        if len(found) < len(sign):
            continue
        current = [[match for match in matches if match[0]] for matches in found]
        if all(current):
            start = min(matches[0][1] for matches in current)
            end = max(matches[0][2] for matches in current)
            return RedFlagMention(red_flag, True, start, end, SPANISH)
        if best is None:
            best = RedFlagMention(red_flag, False, found[0][0][1], found[0][0][2], SPANISH)
    return best


def _cancelled(red_flag: RedFlag, parts: List[Tuple[int, str]]) -> bool:
    """An `unless` said as a fact anywhere in the message ("se me escapa cuando toso")."""
    return any(
        any(match[0] for match in _found(pattern, parts, True)) for pattern in red_flag.unless
    )


def find_spanish_mentions(
    text: str, red_flags: Optional[Sequence[RedFlag]] = None
) -> List[RedFlagMention]:
    """Every red flag the content file's Spanish rules find in the text, current or not."""
    flags = get_knowledge().spanish_red_flags if red_flags is None else red_flags
    plain = spanish_text(text)
    parts = _clauses(plain)
    mentions = []
    for red_flag in flags:
        mention = _mention(red_flag, parts)
        if mention is None:
            continue
        current = mention.current and not (red_flag.unless and _cancelled(red_flag, parts))
        # Decomposed accents were composed first: the span is then the whole message.
        start, end = (mention.start, mention.end) if len(plain) == len(text) else (0, len(text))
        mentions.append(RedFlagMention(red_flag, current, start, end, SPANISH))
    return mentions
