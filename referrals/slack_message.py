"""A referral as a Slack message (Block Kit): a header (URGENT ones marked), the clinician
summary as fields, the screening answers, and the "not a diagnosis" note, within Slack's limits.
Patient text is escaped so Slack shows it literally (a name like `<!channel>` pings nobody)."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

from referrals.summary import NOT_A_DIAGNOSIS, ReferralSummary, clinician_lines, screening_lines

# Slack's limits for Block Kit (api.slack.com/reference/block-kit/blocks).
SLACK_HEADER_CHARACTERS = 150
SLACK_SECTION_CHARACTERS = 3000
SLACK_FIELD_CHARACTERS = 2000
SLACK_FIELDS_PER_SECTION = 10


def slack_escape(text: str) -> str:
    """Patient text as Slack shows it literally: `<!channel>` must not ping anyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn_sections(lines: Sequence[str]) -> List[Dict[str, Any]]:
    """mrkdwn sections holding `lines` in order, each within Slack's text limit."""
    sections: List[Dict[str, Any]] = []
    current = ""
    for line in lines:
        line = _cut(line, SLACK_SECTION_CHARACTERS)
        if current and len(current) + 1 + len(line) > SLACK_SECTION_CHARACTERS:
            sections.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        sections.append(current)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}} for text in sections]


def field_sections(pairs: Sequence[Tuple[str, str]]) -> List[Dict[str, Any]]:
    """(heading, text) pairs as mrkdwn fields, at most ten to a section."""
    fields = [
        {
            "type": "mrkdwn",
            "text": _cut(
                f"*{slack_escape(heading)}*\n{slack_escape(text)}", SLACK_FIELD_CHARACTERS
            ),
        }
        for heading, text in pairs
    ]
    return [
        {"type": "section", "fields": fields[start : start + SLACK_FIELDS_PER_SECTION]}
        for start in range(0, len(fields), SLACK_FIELDS_PER_SECTION)
    ]


def slack_message(referral_id: str, summary: ReferralSummary) -> Dict[str, Any]:
    """The webhook's JSON: a fallback `text` (notifications) and Block Kit `blocks`."""
    name = slack_escape(summary.contact.name)
    title = ":rotating_light: URGENT referral" if summary.urgent else "New referral"
    screening = ["*Symptom check answers*"] + [
        f"• {slack_escape(question)}: {slack_escape(answer)}"
        for question, answer in screening_lines(summary)
    ]
    blocks = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": _cut(title, SLACK_HEADER_CHARACTERS),
                "emoji": True,
            },
        },
        *field_sections(clinician_lines(summary)),
        *mrkdwn_sections(screening),
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": f"{NOT_A_DIAGNOSIS} Referral id: {referral_id}"}
            ],
        },
    ]
    fallback = f"URGENT referral: {name}" if summary.urgent else f"Referral: {name}"
    return {"text": _cut(fallback, SLACK_SECTION_CHARACTERS), "blocks": blocks}
