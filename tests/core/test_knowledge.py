"""Tests for core/knowledge.py: the content file loads, and broken copies fail loudly."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable, Dict

import pytest
import yaml

from core.knowledge import (
    CONTENT_PATH,
    RED_FLAG_LEVELS,
    Knowledge,
    KnowledgeError,
    get_knowledge,
    load_knowledge,
)

RawContent = Dict[str, Any]
WALKTHROUGH_TOPICS = ("causes", "diagnosis", "treatment", "prevention")


@pytest.fixture(scope="module")
def raw_content() -> RawContent:
    """The real content file as plain YAML data, to break copies of."""
    return yaml.safe_load(CONTENT_PATH.read_text(encoding="utf-8"))


def write_content(directory: Path, content: RawContent) -> Path:
    """Writes a content file to the directory and returns its path."""
    path = directory / "content.yml"
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def test_real_content_file_loads() -> None:
    knowledge = load_knowledge()

    assert isinstance(knowledge, Knowledge)
    assert knowledge.topics
    assert knowledge.red_flags


def test_get_knowledge_loads_the_content_file_once() -> None:
    assert get_knowledge() is get_knowledge()


def test_every_item_cites_an_article_section() -> None:
    knowledge = get_knowledge()

    unknown = {
        item.id: item.source
        for item in knowledge.all_items()
        if item.source not in knowledge.article_sections
    }

    assert knowledge.all_items()
    assert unknown == {}


def test_every_red_flag_cites_known_guidance_and_has_a_red_flag_level() -> None:
    knowledge = get_knowledge()

    for red_flag in knowledge.red_flags:
        assert red_flag.source in knowledge.guidance, red_flag.id
        assert red_flag.level in RED_FLAG_LEVELS, red_flag.id
        assert red_flag.patterns, red_flag.id


def test_item_guidance_is_read_and_names_known_guidance() -> None:
    knowledge = get_knowledge()
    cited = {item.id: item.guidance for item in knowledge.all_items() if item.guidance}

    assert "nhs_ibuprofen" in cited["treatment_anti_inflammatory"]
    for item_id, keys in cited.items():
        assert set(keys) <= set(knowledge.guidance), item_id


def test_every_symptom_feature_cites_an_article_section() -> None:
    knowledge = get_knowledge()

    for feature in knowledge.symptom_features:
        assert feature.source in knowledge.article_sections, feature.slot


@pytest.mark.parametrize("topic_name", WALKTHROUGH_TOPICS)
def test_walkthrough_topic_has_five_titled_items(topic_name: str) -> None:
    topic = get_knowledge().topic(topic_name)

    assert topic.walkthrough is True
    assert len(topic.items) == 5
    assert all(item.title for item in topic.items)


@pytest.mark.parametrize(
    "topic_name", ["overview", "anatomy", "who_gets_it", "symptoms", "when_to_seek_help"]
)
def test_question_topics_are_not_walkthroughs(topic_name: str) -> None:
    assert get_knowledge().topic(topic_name).walkthrough is False


def test_item_text_is_folded_onto_one_line() -> None:
    for item in get_knowledge().all_items():
        assert "\n" not in item.text, item.id
        assert "  " not in item.text, item.id


def test_escalation_names_a_response_for_each_red_flag_level() -> None:
    responses = get_knowledge().escalation_responses

    assert responses == {
        "emergency": "utter_red_flag_emergency",
        "urgent": "utter_red_flag_urgent",
    }


def remove_item_source(content: RawContent) -> None:
    del content["topics"]["overview"]["items"][0]["source"]


def use_unknown_section(content: RawContent) -> None:
    content["topics"]["causes"]["items"][0]["source"] = "A Section The Article Lacks"


def use_unknown_guidance(content: RawContent) -> None:
    content["red_flags"][0]["source"] = "made_up_guideline"


def cite_unknown_guidance_on_an_item(content: RawContent) -> None:
    content["topics"]["treatment"]["items"][0]["guidance"] = ["nice_ng59", "made_up_guideline"]


def cite_guidance_as_a_string(content: RawContent) -> None:
    content["topics"]["treatment"]["items"][0]["guidance"] = "nice_ng59"


def use_bad_red_flag_level(content: RawContent) -> None:
    content["red_flags"][0]["level"] = "self_care"


def use_unknown_red_flag_level(content: RawContent) -> None:
    content["red_flags"][-1]["level"] = "critical"


def break_a_pattern(content: RawContent) -> None:
    content["red_flags"][0]["patterns"].append("(unclosed group")


def duplicate_an_item_id(content: RawContent) -> None:
    items = content["topics"]["treatment"]["items"]
    items[1]["id"] = items[0]["id"]


def reuse_an_item_id_for_a_red_flag(content: RawContent) -> None:
    old, new = content["red_flags"][0]["id"], content["topics"]["overview"]["items"][0]["id"]
    content["red_flags"][0]["id"] = new
    for item in content["safety_screening"]["emergency"]:
        item["red_flags"] = [new if flag == old else flag for flag in item["red_flags"]]
    for entry in content["red_flags_es"]:
        entry["red_flag"] = new if entry["red_flag"] == old else entry["red_flag"]


def name_an_unknown_red_flag_in_spanish(content: RawContent) -> None:
    content["red_flags_es"][0]["red_flag"] = "made_up_flag"


def list_a_red_flag_twice_in_spanish(content: RawContent) -> None:
    content["red_flags_es"].append(dict(content["red_flags_es"][0]))


def use_an_unknown_spanish_term(content: RawContent) -> None:
    content["red_flags_es"][0]["patterns"].append("@no_such_term")


def use_an_unknown_red_flag_term(content: RawContent) -> None:
    content["red_flags"][0]["patterns"].append("@no_such_term")


def give_a_combination_one_part(content: RawContent) -> None:
    content["red_flags"][0]["combinations"] = [["@pee"]]


def screen_for_an_unknown_red_flag(content: RawContent) -> None:
    content["safety_screening"]["urgent"][0]["red_flags"].append("made_up_flag")


def leave_a_red_flag_unasked(content: RawContent) -> None:
    for items in content["safety_screening"].values():
        for item in items:
            item["red_flags"] = [flag for flag in item["red_flags"] if flag != "night_pain"]
    for question in content["symptom_check"]["risk_questions"]:
        question["red_flags"] = [flag for flag in question["red_flags"] if flag != "night_pain"]


def use_unknown_treatment(content: RawContent) -> None:
    content["topics"]["treatment"]["items"][0]["treatments"].append("not a listed treatment")


def use_unknown_activity(content: RawContent) -> None:
    content["topics"]["causes"]["items"][0]["activities"] = ["not a listed activity"]


def use_unknown_implied_activity(content: RawContent) -> None:
    content["symptom_check"]["features"][1]["implied_by_activities"] = ["not a listed activity"]


def empty_an_item_text(content: RawContent) -> None:
    content["topics"]["anatomy"]["items"][0]["text"] = "   "


def empty_a_topic(content: RawContent) -> None:
    content["topics"]["anatomy"]["items"] = []


def drop_an_escalation_level(content: RawContent) -> None:
    del content["red_flag_escalation"]["urgent"]


def drop_a_next_step(content: RawContent) -> None:
    del content["symptom_check"]["next_steps"]["self_care"]


@pytest.mark.parametrize(
    ("break_content", "message"),
    [
        (remove_item_source, "has source None"),
        (use_unknown_section, "not an article section"),
        (use_unknown_guidance, "names unknown guidance"),
        (cite_unknown_guidance_on_an_item, r"cites unknown guidance \['made_up_guideline'\]"),
        (cite_guidance_as_a_string, "guidance as a list of keys"),
        (use_bad_red_flag_level, "has a bad level"),
        (use_unknown_red_flag_level, "has a bad level"),
        (break_a_pattern, "has a broken pattern"),
        (duplicate_an_item_id, "ids used twice"),
        (reuse_an_item_id_for_a_red_flag, "ids used twice"),
        (use_an_unknown_red_flag_term, "unknown red-flag term @no_such_term"),
        (name_an_unknown_red_flag_in_spanish, "red_flags_es names an unknown red flag"),
        (list_a_red_flag_twice_in_spanish, "red_flags_es lists bladder_bowel_control twice"),
        (use_an_unknown_spanish_term, "unknown red-flag term @no_such_term"),
        (give_a_combination_one_part, "combination needs a list of two or more"),
        (screen_for_an_unknown_red_flag, r"names unknown red flags \['made_up_flag'\]"),
        (leave_a_red_flag_unasked, r"no safety question asks about: \['night_pain'\]"),
        (use_unknown_treatment, "unknown treatment values"),
        (use_unknown_activity, "unknown activity values"),
        (use_unknown_implied_activity, "uses unknown activities"),
        (empty_an_item_text, "has no text"),
        (empty_a_topic, "has no items"),
        (drop_an_escalation_level, "escalation needs every red-flag level"),
        (drop_a_next_step, "next_steps needs"),
    ],
)
def test_broken_content_fails_to_load(
    raw_content: RawContent,
    tmp_path: Path,
    break_content: Callable[[RawContent], None],
    message: str,
) -> None:
    content = copy.deepcopy(raw_content)
    break_content(content)

    with pytest.raises(KnowledgeError, match=message):
        load_knowledge(write_content(tmp_path, content))


def test_unbroken_copy_loads(raw_content: RawContent, tmp_path: Path) -> None:
    # Guards the table above: a failure there must come from the breakage, not the copying.
    knowledge = load_knowledge(write_content(tmp_path, copy.deepcopy(raw_content)))

    assert [item.id for item in knowledge.all_items()] == [
        item.id for item in get_knowledge().all_items()
    ]
