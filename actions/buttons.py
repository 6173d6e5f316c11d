"""Quick-reply buttons the actions attach to their messages (channels render them natively)."""

from __future__ import annotations

from typing import Dict, List

Button = Dict[str, str]


def button(title: str, payload: str) -> Button:
    """One quick reply: what the person sees and what comes back when they press it."""
    return {"title": title, "payload": payload}


MENU = button("Menu", "/help")
CONTACT_CLINIC = button("Contact the clinic", "/request_appointment")
CHECK_SYMPTOMS = button("Check my symptoms", "/check_symptoms")
WHEN_TO_GET_HELP = button("When to get help", "/ask_when_to_seek_help")
NEXT = button("Next", "/next_item")
BACK = button("Back", "/previous_item")

TOPIC_BUTTONS: Dict[str, Button] = {
    "overview": button("What is it?", "/ask_overview"),
    "anatomy": button("The muscle", "/ask_anatomy"),
    "symptoms": button("Symptoms", "/ask_symptoms"),
    "causes": button("Causes", "/ask_causes"),
    "diagnosis": button("Diagnosis", "/ask_diagnosis"),
    "treatment": button("Treatment", "/ask_treatment"),
    "prevention": button("Prevention", "/ask_prevention"),
    "when_to_seek_help": WHEN_TO_GET_HELP,
    "exercises": button("Exercises", "/ask_exercises"),
}


def topic_buttons(*topics: str) -> List[Button]:
    """Buttons that open these topics, in this order."""
    return [TOPIC_BUTTONS[topic] for topic in topics]
