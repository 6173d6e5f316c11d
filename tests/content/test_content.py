"""The content file, the domain, the code and the NLU data agree, and nothing is copied."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set

import pytest
import yaml
from rasa_sdk import Action

import actions
from core.knowledge import Item, get_knowledge

ROOT = Path(__file__).resolve().parents[2]
VERBATIM_CHECK = ROOT.parent / "shared" / "tools" / "verbatim_check.py"
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
MEDICAL_INTENTS = [
    "ask_overview", "ask_anatomy", "ask_symptoms", "ask_causes", "ask_diagnosis",
    "ask_treatment", "ask_prevention", "ask_when_to_seek_help", "describe_symptoms",
    "check_symptoms", "report_red_flag", "ask_exercises", "ask_medication", "ask_do_i_have_it",
    "ask_activity_advice", "ask_recovery_time", "ask_seriousness",
]  # fmt: skip
# Every module of the actions package, as rasa-sdk's executor registers them.
ACTION_MODULES = [
    importlib.import_module(f"actions.{module.name}")
    for module in pkgutil.iter_modules(actions.__path__)
]


def nlu_blocks() -> list:
    blocks = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        blocks += (yaml.safe_load(path.read_text()) or {}).get("nlu", [])
    return blocks


def test_every_item_names_its_article_section_or_guidance() -> None:
    knowledge = get_knowledge()
    for item in knowledge.all_items():
        assert item.source in knowledge.article_sections, item.id
        assert set(item.guidance) <= set(knowledge.guidance), item.id
    for red_flag in knowledge.red_flags:
        assert red_flag.source in knowledge.guidance, red_flag.id


@pytest.mark.skipif(not VERBATIM_CHECK.exists(), reason="shared/ is not beside the project")
def test_no_sentence_is_copied_from_the_article() -> None:
    result = subprocess.run(
        [sys.executable, str(VERBATIM_CHECK)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_every_response_the_code_or_content_names_exists_in_the_domain() -> None:
    responses = set(DOMAIN["responses"])
    named: Set[str] = set(get_knowledge().escalation_responses.values())
    for path in (ROOT / "actions").glob("*.py"):
        named |= set(re.findall(r'response="(utter_\w+)"', path.read_text()))
    assert named, "no response names found: the pattern above is out of date"
    assert named <= responses


def test_every_domain_action_is_implemented_and_every_action_is_in_the_domain() -> None:
    implemented = {
        cls().name()
        for module in ACTION_MODULES
        for cls in vars(module).values()
        if isinstance(cls, type)
        and issubclass(cls, Action)
        and cls.__module__ == module.__name__
        and not inspect.isabstract(cls)
    }
    assert implemented == set(DOMAIN["actions"])


def test_every_action_and_response_in_the_rules_exists() -> None:
    known = set(DOMAIN["actions"]) | set(DOMAIN["responses"]) | set(DOMAIN["forms"])
    known |= {"action_deactivate_loop", "action_listen"}
    for path in list((ROOT / "data" / "rules").glob("*.yml")) + [ROOT / "tests/test_stories.yml"]:
        used = set(re.findall(r"- action: (\w+)", path.read_text()))
        assert used <= known, (path.name, used - known)


def test_synonyms_map_only_to_canonical_entity_values() -> None:
    canonical = {value for values in get_knowledge().entity_values.values() for value in values}
    synonyms = [block["synonym"] for block in nlu_blocks() if "synonym" in block]
    assert synonyms
    assert set(synonyms) <= canonical


def test_annotated_entity_values_are_canonical_or_synonyms() -> None:
    knowledge = get_knowledge()
    synonyms: Dict[str, str] = {}
    for block in nlu_blocks():
        if "synonym" in block:
            for line in block["examples"].splitlines():
                synonyms[line.strip().removeprefix("- ").strip().lower()] = block["synonym"]
    annotation = re.compile(r"\[([^\]]+)\](?:\((\w+)\)|\{([^}]*)\})")
    for block in nlu_blocks():
        for text, simple_entity, json_entity in annotation.findall(block.get("examples", "")):
            entity = simple_entity or yaml.safe_load("{" + json_entity + "}")["entity"]
            value = text if simple_entity else yaml.safe_load("{" + json_entity + "}").get("value")
            value = synonyms.get((value or text).lower(), value or text)
            assert value in knowledge.entity_values[entity], (block.get("intent"), text, value)


@pytest.mark.parametrize("intent", MEDICAL_INTENTS)
def test_every_medical_intent_has_at_least_25_training_examples(intent: str) -> None:
    examples = [
        line
        for block in nlu_blocks()
        if block.get("intent") == intent
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]
    assert len(examples) >= 25


@pytest.mark.parametrize("item", get_knowledge().all_items(), ids=lambda item: item.id)
def test_every_message_is_chat_sized(item) -> None:
    assert len(item.text) <= 320


def topic_item(item_id: str) -> Item:
    """The item with this id, from any topic."""
    for item in get_knowledge().all_items():
        if item.id == item_id:
            return item
    raise KeyError(item_id)


# What each caution must say, in words a patient would use, and the guidance it rests on.
@pytest.mark.parametrize(
    ("item_id", "phrases", "guidance"),
    [
        (
            "treatment_anti_inflammatory",
            ["ibuprofen", "naproxen", "blood thinners", "pregnant", "stomach ulcer", "kidney",
             "heart", "pharmacist or doctor"],
            {"nhs_nsaids", "nhs_ibuprofen"},
        ),
        (
            "treatment_heat_and_cold",
            ["new swelling or bruise", "2 to 3 days", "numb skin", "wrap ice", "short spells"],
            {"nhs_sprains_strains", "mpft_heat_cold"},
        ),
        (
            "treatment_needling_injections",
            ["thin needles", "no medicine", "trigger points", "evidence", "limited"],
            {"statpearls_trigger_point", "nice_ng59"},
        ),
        ("treatment_activity_modification", ["stay active", "bed rest"], {"nice_ng59"}),
        ("seek_help_persistent_pain", ["stay active"], {"nice_ng59"}),
        ("anatomy_attachments", ["inside the pelvis", "lumbar", "thigh bone"],
         {"statpearls_iliopsoas"}),
    ],
)  # fmt: skip
def test_cautions_say_what_their_guidance_says(
    item_id: str, phrases: List[str], guidance: Set[str]
) -> None:
    item = topic_item(item_id)
    missing = [phrase for phrase in phrases if phrase not in item.text.lower()]
    assert missing == []
    assert guidance <= set(item.guidance)


def test_topic_texts_do_not_name_the_article_overstate_misdiagnosis_or_advise_rest() -> None:
    # Patients never saw "the article"; it supports "can be mistaken for", not "often"; and
    # NICE NG59 puts staying active before rest, so any mention of rest says so.
    for topic in get_knowledge().topics.values():
        for item in ([topic.intro] if topic.intro else []) + list(topic.items):
            text = item.text.lower()
            assert "article" not in text, item.id
            assert "often misdiagnosed" not in text, item.id
            assert "blamed on" not in text, item.id
            if re.search(r"\brest\b", text):
                assert "active" in text, item.id


def test_no_domain_response_names_the_article() -> None:
    # What patients read never refers to a source they have not seen.
    for name, variations in DOMAIN["responses"].items():
        for variation in variations:
            assert "article" not in (variation.get("text") or "").lower(), name


# Each red flag's level as its guidance gives it (issue 9's clinical review against NHS and NICE
# pages): "emergency" = call the emergency number / A&E now, "urgent" = seen by a doctor today.
LEVEL_BY_GUIDANCE = {
    "bladder_bowel_control": ("emergency", "nhs_sciatica"),
    "saddle_numbness": ("emergency", "nhs_cauda_equina"),
    "sexual_dysfunction": ("emergency", "nhs_cauda_equina"),
    "both_legs": ("emergency", "nhs_sciatica"),
    "leg_weakness_worsening": ("emergency", "nhs_sciatica"),
    "bleeding_on_blood_thinners": ("emergency", "nhs_anticoagulants"),
    "aortic_aneurysm": ("emergency", "nhs_aaa"),
    "fracture": ("emergency", "nhs_hip_fracture"),
    "major_trauma": ("emergency", "nice_cks_back_pain"),
    "unable_to_bear_weight": ("emergency", "nhs_hip_pain"),
    "infection_with_risk": ("emergency", "nice_cks_back_pain"),
    "child_limp_fever": ("emergency", "nice_cks_childhood_limp"),
    "chest_pain_with_back_pain": ("emergency", "nhs_chest_pain"),
    "groin_emergency": ("emergency", "nhs_testicle_pain"),
    "fever_with_pain": ("urgent", "nice_cks_back_pain"),
    "cancer_history": ("urgent", "nice_cks_back_pain"),
    "unexplained_weight_loss": ("urgent", "nice_cks_back_pain"),
    "thigh_numbness_weakness": ("urgent", "nice_ng59"),
    "child_limp": ("urgent", "nice_cks_childhood_limp"),
    "teenager_hip_or_knee_pain": ("urgent", "nice_cks_childhood_limp"),
    "night_pain": ("urgent", "nice_cks_back_pain"),
    "hot_swollen_joint": ("urgent", "nhs_septic_arthritis"),
}


def test_every_red_flag_has_the_level_and_source_its_guidance_gives() -> None:
    found = {flag.id: (flag.level, flag.source) for flag in get_knowledge().red_flags}

    assert found == LEVEL_BY_GUIDANCE
