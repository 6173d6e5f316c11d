"""The blind NLU set measured through a running server's /model/parse, so the whole pipeline
counts (DIET, the red-flag detector and the language gate): intent macro-F1, how often off-topic
text is taken for a medical intent, small-talk accuracy, and entity F1 on exact spans.

Used by `make bench` (scripts/bench.py); also runs on its own against a server:
    .venv/bin/python scripts/nlu_benchmark.py tests/benchmark/nlu_blind.yml --url http://127.0.0.1:5005
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

# What a message is asked to be, and what the assistant made of it.
Span = Tuple[str, int, int]  # entity type, start, end
Parse = Tuple[str, FrozenSet[Span]]
Parser = Callable[[str], Parse]

# Intents answered with iliopsoas content or triage: off-topic text must never land here.
MEDICAL_INTENTS = frozenset(
    {
        "ask_overview", "ask_anatomy", "ask_symptoms", "ask_causes", "ask_diagnosis",
        "ask_treatment", "ask_prevention", "ask_when_to_seek_help", "ask_medication",
        "ask_do_i_have_it", "ask_activity_advice", "ask_recovery_time", "ask_seriousness",
        "ask_exercises", "describe_symptoms", "check_symptoms", "report_red_flag",
        "possible_red_flag", "hesitate_to_get_help", "inform",
    }
)  # fmt: skip
OFF_TOPIC_INTENTS = frozenset({"out_of_scope", "other_complaint"})
SMALL_TALK_INTENTS = frozenset(
    {
        "greet", "goodbye", "thank", "affirm", "deny", "not_sure", "stop", "bot_challenge",
        "help", "express_frustration", "praise", "next_item", "previous_item",
    }
)  # fmt: skip
# Entities patients' words carry; red_flag and triage_level come from the detector and are
# measured by the red-flag benchmark instead.
MEASURED_ENTITIES = frozenset({"body_part", "activity", "treatment", "diagnostic_test"})


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: FrozenSet[Span] = frozenset()


@dataclass
class NluScores:
    intent_macro_f1: float
    intent_accuracy: float
    off_topic_taken_for_medical: float
    off_topic_count: int
    small_talk_accuracy: float
    small_talk_count: int
    entity_f1: float
    entity_precision: float
    entity_recall: float
    entity_f1_by_type: Dict[str, float] = field(default_factory=dict)
    intent_f1_by_intent: Dict[str, float] = field(default_factory=dict)
    examples: int = 0


def load_examples(path: Path) -> List[Example]:
    """The examples of a Rasa NLU file, with their annotated entity spans."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for message in load_data(str(path)).intent_examples:
        spans = frozenset(
            (entity["entity"], entity["start"], entity["end"])
            for entity in message.get("entities") or []
            if entity["entity"] in MEASURED_ENTITIES
        )
        examples.append(Example(message.get("text"), message.get("intent"), spans))
    return examples


def _f1(true_positives: int, false_positives: int, false_negatives: int) -> float:
    denominator = 2 * true_positives + false_positives + false_negatives
    return 2 * true_positives / denominator if denominator else 1.0


def score(examples: Sequence[Example], predictions: Sequence[Parse]) -> NluScores:
    """The figures, from gold examples and what was predicted for each, in the same order."""
    intents = sorted({example.intent for example in examples})
    counts: Dict[str, Counter] = {intent: Counter() for intent in intents}
    entity_counts: Dict[str, Counter] = {entity: Counter() for entity in MEASURED_ENTITIES}
    off_topic_medical = off_topic = small_talk_right = small_talk = correct = 0
    for example, (predicted, spans) in zip(examples, predictions, strict=True):
        if predicted == example.intent:
            correct += 1
            counts[example.intent]["tp"] += 1
        else:
            counts[example.intent]["fn"] += 1
            if predicted in counts:
                counts[predicted]["fp"] += 1
        if example.intent in OFF_TOPIC_INTENTS:
            off_topic += 1
            off_topic_medical += predicted in MEDICAL_INTENTS
        if example.intent in SMALL_TALK_INTENTS:
            small_talk += 1
            small_talk_right += predicted == example.intent
        predicted_spans = {span for span in spans if span[0] in MEASURED_ENTITIES}
        for span in predicted_spans & example.entities:
            entity_counts[span[0]]["tp"] += 1
        for span in predicted_spans - example.entities:
            entity_counts[span[0]]["fp"] += 1
        for span in example.entities - predicted_spans:
            entity_counts[span[0]]["fn"] += 1
    by_intent = {intent: _f1(c["tp"], c["fp"], c["fn"]) for intent, c in counts.items()}
    total = sum(entity_counts.values(), Counter())
    by_type = {
        entity: _f1(c["tp"], c["fp"], c["fn"])
        for entity, c in sorted(entity_counts.items())
        if c["tp"] + c["fn"]
    }
    return NluScores(
        intent_macro_f1=sum(by_intent.values()) / len(by_intent) if by_intent else 0.0,
        intent_accuracy=correct / len(examples) if examples else 0.0,
        off_topic_taken_for_medical=off_topic_medical / off_topic if off_topic else 0.0,
        off_topic_count=off_topic,
        small_talk_accuracy=small_talk_right / small_talk if small_talk else 0.0,
        small_talk_count=small_talk,
        entity_f1=_f1(total["tp"], total["fp"], total["fn"]),
        entity_precision=total["tp"] / (total["tp"] + total["fp"]) if total["tp"] else 0.0,
        entity_recall=total["tp"] / (total["tp"] + total["fn"]) if total["tp"] else 0.0,
        entity_f1_by_type=by_type,
        intent_f1_by_intent=by_intent,
        examples=len(examples),
    )


def parse_of_response(parsed: Dict) -> Parse:
    """The intent and the measured entity spans of a /model/parse answer."""
    intent = (parsed.get("intent") or {}).get("name") or ""
    spans: Set[Span] = set()
    for entity in parsed.get("entities") or []:
        if entity.get("entity") in MEASURED_ENTITIES and "start" in entity:
            spans.add((entity["entity"], entity["start"], entity["end"]))
    return intent, frozenset(spans)


def parse_with_server(url: str, token: Optional[str]) -> Parser:
    """A parser that asks a running Rasa server's /model/parse."""
    parse_raw = raw_parser(url, token)
    return lambda text: parse_of_response(parse_raw(text))


def measure(path: Path, parse: Parser) -> NluScores:
    examples = load_examples(path)
    return score(examples, [parse(example.text) for example in examples])


def report(name: str, scores: NluScores) -> str:
    """The figures as a markdown table (no message texts: the set stays blind)."""
    lines = [
        f"NLU on {name} ({scores.examples} messages, through /model/parse):",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| intent macro-F1 | {scores.intent_macro_f1:.3f} | >= 0.97 |",
        f"| intent accuracy | {scores.intent_accuracy:.3f} | |",
        f"| off-topic taken for a medical intent ({scores.off_topic_count}) | "
        f"{scores.off_topic_taken_for_medical:.1%} | <= 3% |",
        f"| small talk right ({scores.small_talk_count}) | {scores.small_talk_accuracy:.1%} "
        "| >= 95% |",
        f"| entity F1, exact spans (P {scores.entity_precision:.3f}, R "
        f"{scores.entity_recall:.3f}) | {scores.entity_f1:.3f} | >= 0.95 |",
    ]
    lines += [
        f"| entity F1: {entity} | {value:.3f} | |"
        for entity, value in scores.entity_f1_by_type.items()
    ]
    weakest = sorted(scores.intent_f1_by_intent.items(), key=lambda pair: pair[1])[:8]
    lines += ["", "Weakest intents (F1): " + ", ".join(f"{i} {f:.2f}" for i, f in weakest)]
    return "\n".join(lines)


OTHER_LANGUAGE_INTENT = "other_language"
URGENT_LEVELS = ("urgent", "emergency")


@dataclass
class LanguageScores:
    other_language_told: float
    other_language_count: int
    spanish_red_flags_right_level: float
    spanish_red_flags_any_alert: float
    spanish_red_flag_count: int
    english_taken_for_other: float
    english_count: int


def measure_languages(path: Path, parse_raw: Callable[[str], Dict]) -> LanguageScores:
    """Messages in languages we don't serve get the English-only reply (intent other_language);
    Spanish red flags still get their level; English, however short, is never taken for another
    language."""
    import yaml

    from scripts.red_flag_benchmark import outcome_of_parse

    sets = yaml.safe_load(path.read_text(encoding="utf-8"))
    others = sets["other_language"]
    told = sum(
        (parse_raw(case["text"]).get("intent") or {}).get("name") == OTHER_LANGUAGE_INTENT
        for case in others
    )
    flags = sets["spanish_red_flags"]
    outcomes = [(case["level"], outcome_of_parse(parse_raw(case["text"]))) for case in flags]
    right = sum(
        level == outcome or (level == "urgent" and outcome == "emergency")
        for level, outcome in outcomes
    )
    any_alert = sum(outcome in URGENT_LEVELS for _, outcome in outcomes)
    english = sets["english"]
    taken = sum(
        (parse_raw(case["text"]).get("intent") or {}).get("name") == OTHER_LANGUAGE_INTENT
        for case in english
    )
    return LanguageScores(
        other_language_told=told / len(others),
        other_language_count=len(others),
        spanish_red_flags_right_level=right / len(flags),
        spanish_red_flags_any_alert=any_alert / len(flags),
        spanish_red_flag_count=len(flags),
        english_taken_for_other=taken / len(english),
        english_count=len(english),
    )


def language_report(name: str, scores: LanguageScores) -> str:
    return "\n".join(
        [
            f"Other languages on {name} (through /model/parse):",
            "",
            "| measure | value |",
            "|---|---|",
            f"| other languages told we speak English ({scores.other_language_count}) | "
            f"{scores.other_language_told:.1%} |",
            f"| Spanish red flags at the right level or higher ({scores.spanish_red_flag_count}) "
            f"| {scores.spanish_red_flags_right_level:.1%} |",
            f"| Spanish red flags with at least an urgent alert | "
            f"{scores.spanish_red_flags_any_alert:.1%} |",
            f"| English taken for another language ({scores.english_count}) | "
            f"{scores.english_taken_for_other:.1%} |",
        ]
    )


def raw_parser(url: str, token: Optional[str]) -> Callable[[str], Dict]:
    import requests

    def parse(text: str) -> Dict:
        response = requests.post(
            f"{url}/model/parse", params={"token": token} if token else {},
            json={"text": text}, timeout=30,
        )  # fmt: skip
        response.raise_for_status()
        return response.json()

    return parse


def main() -> int:
    """Measures a set against a server that is already running."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("nlu_file", type=Path)
    parser.add_argument("--languages", type=Path, help="a languages set, e.g. languages_blind.yml")
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--token")
    arguments = parser.parse_args()
    scores = measure(arguments.nlu_file, parse_with_server(arguments.url, arguments.token))
    print(report(arguments.nlu_file.name, scores))
    if arguments.languages:
        languages = measure_languages(
            arguments.languages, raw_parser(arguments.url, arguments.token)
        )
        print("\n" + language_report(arguments.languages.name, languages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
