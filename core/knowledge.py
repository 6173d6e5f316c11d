"""Typed, validated access to the medical content file (core/knowledge/iliopsoas.yml).

Everything medical the assistant says comes from that file. It is validated when loaded, so a
missing source or an unknown value fails at start-up, not in the middle of a chat.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from core.safety_content import (
    RED_FLAG_LEVELS,
    AgeGroup,
    RedFlag,
    RiskQuestion,
    ScreeningItem,
    parse_safety,
    parse_spanish_red_flags,
)

CONTENT_PATH = Path(__file__).resolve().parent / "knowledge" / "iliopsoas.yml"
TRIAGE_LEVELS = ("emergency", "urgent", "consultation", "self_care")


class KnowledgeError(ValueError):
    """The content file breaks one of its rules."""


@dataclass(frozen=True)
class Item:
    """One fact the assistant can say, with where it comes from."""

    id: str
    text: str
    source: str
    title: Optional[str] = None
    activities: Tuple[str, ...] = ()
    treatments: Tuple[str, ...] = ()
    diagnostic_tests: Tuple[str, ...] = ()
    # Keys of `sources.guidance` behind what the text says beyond the article (a caution, a
    # plain-words explanation); `source` stays the article section the fact comes from.
    guidance: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """A subject the assistant explains; walk-through topics are stepped one item at a time."""

    name: str
    title: str
    items: Tuple[Item, ...]
    walkthrough: bool = False
    intro: Optional[Item] = None

    def paragraphs(self) -> str:
        """Every item's text, one paragraph each: the whole topic as one message."""
        return "\n\n".join(item.text for item in self.items)

    def item_index(self, item_id: str) -> int:
        """Position of the item with this id in the topic."""
        for index, item in enumerate(self.items):
            if item.id == item_id:
                return index
        raise KeyError(item_id)


@dataclass(frozen=True)
class SymptomFeature:
    """One question of the symptom check and the answers that match the article's picture."""

    slot: str
    matches_any: Tuple[Any, ...]
    summary: str
    source: str
    implied_by_activities: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Knowledge:
    """The whole content file, validated."""

    topics: Dict[str, Topic]
    red_flags: Tuple[RedFlag, ...]
    escalation_responses: Dict[str, str]
    symptom_features: Tuple[SymptomFeature, ...]
    persistent_durations: Tuple[str, ...]
    entity_values: Dict[str, Tuple[str, ...]]
    article_sections: Tuple[str, ...]
    next_steps: Dict[str, Item] = field(default_factory=dict)
    guidance: Dict[str, str] = field(default_factory=dict)
    # The itemised safety questions by level, and the symptom check's other safety questions.
    safety_screening: Dict[str, Tuple[ScreeningItem, ...]] = field(default_factory=dict)
    risk_questions: Tuple[RiskQuestion, ...] = ()
    age_groups: Tuple[AgeGroup, ...] = ()
    # What the symptom check's outcomes say to watch for ({emergency_number} to fill in).
    watch_for: Optional[Item] = None
    # Why a finished check advises what it does, by reason (actions/check_outcome.py names them).
    check_reasons: Dict[str, Item] = field(default_factory=dict)
    # The follow-up asked after a "yes" or "not sure" about blood thinners: did the pain just start?
    recent_onset_question: Optional[RiskQuestion] = None
    # The youngest age in each age group, youngest group first.
    age_group_starts: Dict[str, int] = field(default_factory=dict)
    # The words the red-flag rules are written in; misspellings are corrected towards them.
    red_flag_vocabulary: Tuple[str, ...] = ()
    # What a message must mention before a statistical red-flag guess is acted on.
    red_flag_cues: Optional[re.Pattern] = None
    # Spanish rules for some of the red flags above, with their level and source
    # (core/spanish_red_flags.py reads them).
    spanish_red_flags: Tuple[RedFlag, ...] = ()

    def topic(self, name: str) -> Topic:
        """The topic with this name; KeyError if there is none."""
        return self.topics[name]

    def all_items(self) -> List[Item]:
        """Every item of every topic, intros included."""
        items: List[Item] = []
        for topic in self.topics.values():
            if topic.intro:
                items.append(topic.intro)
            items.extend(topic.items)
        items += list(self.next_steps.values()) + list(self.check_reasons.values())
        return items + ([self.watch_for] if self.watch_for else [])

    def red_flag(self, red_flag_id: str) -> RedFlag:
        """The red flag with this id; KeyError if there is none."""
        for red_flag in self.red_flags:
            if red_flag.id == red_flag_id:
                return red_flag
        raise KeyError(red_flag_id)

    def red_flags_at(self, level: str) -> List[RedFlag]:
        """The red flags of one level, in file order."""
        return [red_flag for red_flag in self.red_flags if red_flag.level == level]


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise KnowledgeError(message)


def _fail(message: str) -> None:
    raise KnowledgeError(message)


def _parse_item(raw: Dict[str, Any], sections: Tuple[str, ...], guidance: Dict[str, str]) -> Item:
    item_id = raw.get("id")
    _require(bool(item_id), f"an item has no id: {raw}")
    _require(bool(raw.get("text", "").strip()), f"item {item_id} has no text")
    _require(
        raw.get("source") in sections,
        f"item {item_id} has source {raw.get('source')!r}, not an article section",
    )
    cited = raw.get("guidance", [])
    _require(isinstance(cited, list), f"item {item_id} needs its guidance as a list of keys")
    unknown = [key for key in cited if key not in guidance]
    _require(not unknown, f"item {item_id} cites unknown guidance {unknown}")
    return Item(
        id=item_id,
        text=" ".join(raw["text"].split()),
        source=raw["source"],
        title=raw.get("title"),
        activities=tuple(raw.get("activities", ())),
        treatments=tuple(raw.get("treatments", ())),
        diagnostic_tests=tuple(raw.get("diagnostic_tests", ())),
        guidance=tuple(cited),
    )


def _parse_topic(
    name: str, raw: Dict[str, Any], sections: Tuple[str, ...], guidance: Dict[str, str]
) -> Topic:
    items = tuple(_parse_item(item, sections, guidance) for item in raw.get("items", ()))
    _require(bool(items), f"topic {name} has no items")
    intro = _parse_item(raw["intro"], sections, guidance) if raw.get("intro") else None
    return Topic(
        name=name,
        title=raw.get("title", name),
        items=items,
        walkthrough=bool(raw.get("walkthrough", False)),
        intro=intro,
    )


def _check_entity_values(knowledge: Knowledge) -> None:
    allowed = knowledge.entity_values
    for item in knowledge.all_items():
        for entity, values in (
            ("activity", item.activities),
            ("treatment", item.treatments),
            ("diagnostic_test", item.diagnostic_tests),
        ):
            unknown = set(values) - set(allowed[entity])
            _require(not unknown, f"item {item.id} uses unknown {entity} values {unknown}")
    for feature in knowledge.symptom_features:
        unknown = set(feature.implied_by_activities) - set(allowed["activity"])
        _require(not unknown, f"feature {feature.slot} uses unknown activities {unknown}")


def load_knowledge(path: Path = CONTENT_PATH) -> Knowledge:
    """Read and validate a content file; raises KnowledgeError on the first broken rule."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    sections = tuple(raw["sources"]["article"]["sections"])
    guidance = dict(raw["sources"]["guidance"])
    topics = {
        name: _parse_topic(name, topic, sections, guidance) for name, topic in raw["topics"].items()
    }
    safety = parse_safety(raw, guidance, _fail)
    escalation = raw["red_flag_escalation"]
    _require(set(escalation) == set(RED_FLAG_LEVELS), "escalation needs every red-flag level")
    for level, entry in escalation.items():
        _require(entry.get("source") in guidance, f"escalation {level} names unknown guidance")
    check = raw["symptom_check"]
    features = tuple(
        SymptomFeature(
            slot=feature["slot"],
            matches_any=tuple(feature["matches_any"]),
            summary=feature["summary"],
            source=feature["source"],
            implied_by_activities=tuple(feature.get("implied_by_activities", ())),
        )
        for feature in check["features"]
    )
    for feature in features:
        _require(feature.source in sections, f"feature {feature.slot} has an unknown source")
    _require(check.get("persistence_source") in sections, "persistence_source is not a section")
    _require(
        set(check.get("next_steps", {})) == {"consultation", "self_care"},
        "next_steps needs the consultation and self_care levels",
    )
    onset = check["recent_onset_question"]
    starts = {name: group.get("from_age") for name, group in check["age_groups"].items()}
    ages = list(starts.values())
    _require(
        all(isinstance(age, int) for age in ages) and ages == sorted(ages) and ages[:1] == [0],
        "age_groups need a from_age each, youngest group first, starting at 0",
    )
    _require(onset.get("source") in guidance, "recent_onset_question names unknown guidance")
    knowledge = Knowledge(
        topics=topics,
        red_flags=safety.red_flags,
        escalation_responses={level: entry["response"] for level, entry in escalation.items()},
        symptom_features=features,
        persistent_durations=tuple(check["persistent_durations"]),
        entity_values={name: tuple(values) for name, values in raw["entity_values"].items()},
        article_sections=sections,
        next_steps={
            level: _parse_item(item, sections, guidance)
            for level, item in check["next_steps"].items()
        },
        guidance=guidance,
        safety_screening=safety.screening,
        risk_questions=safety.risk_questions,
        age_groups=safety.age_groups,
        watch_for=_parse_item(check["watch_for"], sections, guidance),
        check_reasons={
            reason: _parse_item(item, sections, guidance)
            for reason, item in check["reasons"].items()
        },
        age_group_starts=starts,
        recent_onset_question=RiskQuestion(
            slot=onset["slot"],
            text=" ".join(onset["text"].split()),
            red_flags=(),
            source=onset["source"],
        ),
        red_flag_vocabulary=safety.vocabulary,
        red_flag_cues=safety.cues,
        spanish_red_flags=parse_spanish_red_flags(raw, safety.red_flags, _fail),
    )
    ids = [item.id for item in knowledge.all_items()] + [flag.id for flag in safety.red_flags]
    duplicated = {item_id for item_id in ids if ids.count(item_id) > 1}
    _require(not duplicated, f"ids used twice: {duplicated}")
    _check_entity_values(knowledge)
    return knowledge


@functools.lru_cache(maxsize=1)
def get_knowledge() -> Knowledge:
    """The assistant's content, loaded once per process."""
    return load_knowledge()
