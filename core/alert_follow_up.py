"""What follows an alert: the session's alert level, and what kind of pushback a reply is.

Pure Python with no Rasa imports: the Rasa server's alert policy (components/alert_policy.py)
and the action server both read these, so an alert is followed up the same way on both sides.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from core.names import ALERT_LEVEL_SLOT, TRIAGE_LEVEL_SLOT
from core.red_flags import higher_level

# What kind of pushback a reply to an alert is. Each kind has its own acknowledgement,
# `utter_alert_pushback_<kind>` in domain.yml; `other` is everything else ("ok", "thanks").
WAITING = "waiting"
SELF_TREATMENT = "self_treatment"
MINIMISING = "minimising"
NOT_BOTHERING = "not_bothering"
NO_ACCESS = "no_access"
OTHER = "other"
PUSHBACK_KINDS = (WAITING, SELF_TREATMENT, MINIMISING, NOT_BOTHERING, NO_ACCESS, OTHER)


def session_alert_level(slots: Mapping[str, Any]) -> Optional[str]:
    """The most serious alert given in this session, or None when there was none.

    `alert_level` is the record; `triage_level` counts too, because the Rasa server fills it
    from the red-flag detector's entity even when the action server is down, and the symptom
    check sets it when its screening questions escalate."""
    return higher_level(slots.get(ALERT_LEVEL_SLOT), slots.get(TRIAGE_LEVEL_SLOT))


def _words(*phrases: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)


# Reasons not to go that a clinic can answer: closed, far, no way to get there, cost.
_NO_ACCESS = _words(
    r"closed", r"shut", r"not open", r"(?:sun|satur)day", r"weekend", r"bank holiday",
    r"christmas", r"middle of the night", r"out of hours", r"after hours",
    r"(?:no|(?:don'?t|do not|haven'?t) (?:got |have )?(?:a |any )?)(?:car|ride|lift|transport)",
    r"no (?:bus|taxi|way to get)", r"(?:can'?t|cannot|don'?t|do not) (?:drive|afford)",
    r"(?:can'?t|cannot) get (?:there|to|an? appointment|in)", r"(?:nobody|no one|noone) to "
    r"(?:take|drive|look after|watch|mind)", r"too far", r"miles away", r"childcare",
    r"babysitter", r"insurance", r"expensive", r"(?:the )?cost", r"money", r"no appointments?",
    r"waiting (?:list|times?)", r"(?:wait|queue) (?:is|of) \w+ hours",
)  # fmt: skip
# Medicine, ice, heat or rest instead of being seen.
_SELF_TREATMENT = _words(
    r"pain ?killers?", r"paracetamol", r"acetaminophen", r"ibuprofen", r"nurofen", r"advil",
    r"motrin", r"tylenol", r"calpol", r"aspirin", r"naproxen", r"co-?codamol", r"codeine",
    r"tramadol", r"pills?", r"tablets?", r"meds", r"medicines?", r"medication", r"ice",
    r"ice ?packs?", r"frozen peas", r"heat ?packs?", r"hot water bottle", r"heating pad",
    r"(?:warm|hot) bath", r"cream", r"gel", r"massage", r"stretch(?:es|ing)?",
    r"rest (?:it|up)", r"lie down", r"feet up", r"bandage", r"home remed(?:y|ies)",
    r"something for (?:the |his |her )?(?:pain|temperature|fever)",
)  # fmt: skip
# Not wanting to be a nuisance, or to take a place from someone "really ill".
_NOT_BOTHERING = _words(
    r"bother(?:ing)?", r"wast(?:e|ing) (?:\S+ ){0,3}time", r"time ?wasters?", r"burden",
    r"nuisance", r"(?:a |any )?fuss", r"overreact(?:ing)?", r"over-?reacting", r"dramatic",
    r"silly", r"stupid", r"embarrass(?:ed|ing)", r"(?:so|too|really) busy",
    r"real emergenc(?:y|ies)", r"(?:sicker|iller) (?:people|than me)", r"trouble (?:them|anyone)",
    r"(?:don'?t|do not) want to trouble", r"hypochondriac",
)  # fmt: skip
# It doesn't feel serious.
_MINIMISING = _words(
    r"not (?:that|so|too|very|really|even) (?:bad|serious|painful|severe|sore)",
    r"(?:isn'?t|is not|wasn'?t) (?:that|so|too|very) (?:bad|serious|painful)",
    r"(?:it'?s|its|i'?m|im|i feel|he'?s|she'?s) (?:fine|ok|okay|alright|all right)",
    r"probably nothing", r"nothing serious", r"(?:only|just) (?:a )?(?:little|bit|slight|mild|"
    r"twinge|niggle)", r"mild", r"bearable", r"manageable", r"getting better", r"feels? better",
    r"eas(?:ed|ing) (?:off|up)", r"settl(?:ed|ing) down", r"(?:it'?ll|it will) (?:go away|pass|"
    r"settle)", r"had (?:worse|it before)", r"tough it out", r"doesn'?t (?:hurt|feel) (?:that |"
    r"too |very )?(?:much|bad)",
)  # fmt: skip
# Later: an appointment, the morning, a few days. A day or "tomorrow" alone is not enough
# ("what's the weather like tomorrow"): it must be when they would go, call or see.
_LATER = r"(?:tomorrow|later|tonight|in the morning|next week|on (?:mon|tues|wednes|thurs|fri)day)"
_WAITING = _words(
    r"wait(?:ing)?", r"hold off", r"until", r"till?", r"appointment", r"appt", r"physio",
    r"see (?:how|if) (?:it|things|he|she|they|i)\b", r"sleep on it", r"put (?:it )?off",
    r"give it (?:a )?(?:day|few days|while|time|bit|couple)", r"leave it",
    r"in a (?:few|couple of) (?:days|hours)",
    r"(?:go|going|call|ring|phone|book|see)(?:\s+\S+){0,3}\s+" + _LATER,
)  # fmt: skip

# First match wins. A barrier to getting there comes first: it is what most often keeps people
# at home, so it is the one to answer; "ice and wait" is answered as self-treatment.
_KINDS = (
    (NO_ACCESS, _NO_ACCESS),
    (SELF_TREATMENT, _SELF_TREATMENT),
    (NOT_BOTHERING, _NOT_BOTHERING),
    (MINIMISING, _MINIMISING),
    (WAITING, _WAITING),
)


def pushback_kind(text: str) -> str:
    """The kind of pushback a message is, one of PUSHBACK_KINDS ("other" when none fits)."""
    regular = (text or "").replace("\u2019", "'").replace("\u2018", "'")
    if regular.startswith("/"):
        return OTHER  # a button press says nothing about why
    for kind, pattern in _KINDS:
        if pattern.search(regular):
            return kind
    return OTHER
