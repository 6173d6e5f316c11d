"""Tests for referrals/slack_message.py: the referral as Block Kit within Slack's limits, urgent
ones marked, patient text shown literally."""

from __future__ import annotations

import json

from referrals.slack_message import (
    SLACK_FIELDS_PER_SECTION,
    SLACK_SECTION_CHARACTERS,
    mrkdwn_sections,
    slack_message,
)
from referrals.summary import NOT_A_DIAGNOSIS, Contact
from tests.support.referrals import PATIENT_NAME, PATIENT_PHONE, make_summary


def test_the_slack_message_stays_within_slack_limits_and_shows_patient_text_literally() -> None:
    summary = make_summary(
        urgent=True,
        contact=Contact(name="<!channel> Bob & Co", phone=PATIENT_PHONE),
        advice="x" * 5000,
    )
    message = slack_message("abc123", summary)
    header, *sections, context = message["blocks"]
    assert header["type"] == "header" and len(header["text"]["text"]) <= 150
    assert "URGENT" in header["text"]["text"] and ":rotating_light:" in header["text"]["text"]
    assert message["text"] == "URGENT referral: &lt;!channel&gt; Bob &amp; Co"
    for section in sections:
        assert len(section.get("fields", [])) <= SLACK_FIELDS_PER_SECTION
        texts = [section["text"]["text"]] if "text" in section else []
        texts += [field["text"] for field in section.get("fields", [])]
        assert texts and all(len(text) <= SLACK_SECTION_CHARACTERS for text in texts)
        assert all("<!channel>" not in text for text in texts)
    shown = json.dumps(sections)
    assert "Level of care advised" in shown and "Symptom check answers" in shown
    assert "Takes blood thinners" in shown  # every screening question, asked or not
    assert NOT_A_DIAGNOSIS in context["elements"][0]["text"]
    assert "abc123" in context["elements"][0]["text"]


def test_a_routine_referral_is_a_new_referral_without_alarm() -> None:
    message = slack_message("abc123", make_summary(urgent=False))
    assert message["blocks"][0]["text"]["text"] == "New referral"
    assert message["text"] == f"Referral: {PATIENT_NAME}"


def test_long_text_is_split_over_sections_in_order_without_losing_a_line() -> None:
    lines = [f"line {n} " + "x" * 700 for n in range(10)]
    sections = mrkdwn_sections(lines)
    texts = [section["text"]["text"] for section in sections]
    assert len(texts) == 3 and all(len(text) <= SLACK_SECTION_CHARACTERS for text in texts)
    assert "\n".join(texts).split("\n") == lines
