"""Shared fixtures for the action tests: a dispatcher, the domain, trackers and clinic settings."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Dict, Iterator, List

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from core.clinic import get_clinic_settings
from tests.support.action_trackers import (
    CLINIC_VARIABLES,
    TrackerFactory,
    initial_slots,
    slot_sets,
)
from tests.support.environment import ROOT
from tests.support.responses import (
    RenderingDispatcher,
    Responses,
    load_responses,
    render_response,
)

DOMAIN_PATH = ROOT / "domain.yml"


@pytest.fixture(scope="session")
def domain_responses() -> Responses:
    """The domain's responses as the Rasa server holds them."""
    return load_responses(DOMAIN_PATH)


@pytest.fixture
def render(domain_responses: Responses) -> Callable[..., str]:
    """The text of a domain response with these variables, as the patient reads it."""

    def text(name: str, **variables: Any) -> str:
        return render_response(domain_responses, name, **variables)

    return text


@pytest.fixture
def dispatcher(domain_responses: Responses, domain: Dict[str, Any]) -> CollectingDispatcher:
    """Collects what an action says instead of sending it, each response filled in as the Rasa
    server would fill it (tests/support/responses.py), so a test reads the patient's text."""
    return RenderingDispatcher(domain_responses, initial_slots(domain))


@pytest.fixture
def make_tracker(domain: Dict[str, Any]) -> TrackerFactory:
    """Builds a rasa_sdk Tracker whose latest message has this intent, text and entities."""

    def build(
        intent: str | None = None,
        text: str = "",
        entities: List[Dict[str, Any]] | None = None,
        slots: Dict[str, Any] | None = None,
        events: List[Dict[str, Any]] | None = None,
        active_loop: Dict[str, Any] | None = None,
    ) -> Tracker:
        unknown = set(slots or {}) - set(initial_slots(domain))
        assert not unknown, f"slots not in domain.yml: {unknown}"
        latest_message = {
            "intent": {"name": intent, "confidence": 1.0} if intent else {},
            "entities": list(entities or []),
            "text": text,
        }
        return Tracker(
            sender_id="test-user",
            slots={**initial_slots(domain), **(slots or {})},
            latest_message=latest_message,
            # A fresh list: form validation appends its SlotSet events to it.
            events=list(events or []),
            paused=False,
            followup_action=None,
            active_loop=active_loop or {},
            latest_action_name="action_listen",
        )

    return build


@pytest.fixture
def run_action(
    dispatcher: CollectingDispatcher, domain: Dict[str, Any]
) -> Callable[[Action, Tracker], List[EventType]]:
    """Runs an action's async run() with the test's dispatcher and the domain."""

    def run(action: Action, tracker: Tracker) -> List[EventType]:
        if isinstance(dispatcher, RenderingDispatcher):
            # Rasa fills responses in with the slots as they were when the action ran.
            dispatcher.slots = dict(tracker.slots)
        return asyncio.run(action.run(dispatcher, tracker, domain))

    return run


@pytest.fixture
def dispatched_text(dispatcher: CollectingDispatcher) -> Callable[[], str]:
    """Everything the action wrote as text, one message per line."""

    def text() -> str:
        return "\n".join(message["text"] or "" for message in dispatcher.messages)

    return text


@pytest.fixture
def dispatched_responses(dispatcher: CollectingDispatcher) -> Callable[[], List[str]]:
    """The domain responses (utter_*) the action asked for, in order."""

    def responses() -> List[str]:
        return [message["response"] for message in dispatcher.messages if message["response"]]

    return responses


@pytest.fixture
def slots_set() -> Callable[[List[EventType]], Dict[str, Any]]:
    """Reads the SlotSet events of an action's result as {slot: value}."""
    return slot_sets


@pytest.fixture(autouse=True)
def fresh_clinic_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with no CLINIC_* variables and re-reads the settings."""
    for variable in CLINIC_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    get_clinic_settings.cache_clear()
    yield
    get_clinic_settings.cache_clear()


@pytest.fixture
def clinic_environment(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Sets CLINIC_* variables for this test, e.g. clinic_environment(CLINIC_PHONE="0123")."""

    def set_variables(**variables: str) -> None:
        for variable, value in variables.items():
            assert variable in CLINIC_VARIABLES, f"not a clinic setting: {variable}"
            monkeypatch.setenv(variable, value)
        get_clinic_settings.cache_clear()

    return set_variables
