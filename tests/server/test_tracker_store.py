"""Tests for server/tracker_store.py on real SQLite and real PostgreSQL: conversations are saved,
deleted at a patient's request, purged after the retention period, and survive a restart."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Iterator, List

import pytest
import rasa.core.actions.action as rasa_actions
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.slots import BooleanSlot
from rasa.shared.core.trackers import DialogueStateTracker

from core.names import DELETION_SLOT
from referrals.outbox import new_referral_id
from referrals.summary import Contact, ReferralSummary
from scripts.local_services import restart_postgres, scratch_database
from server.stores import open_tracker_store
from server.tracker_store import ClinicTrackerStore

DAY = 24 * 60 * 60


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ClinicTrackerStore]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("store") / "tracker.db"
        yield open_tracker_store({"TRACKER_SQLITE_PATH": str(path)})
        return
    with scratch_database("store") as url:
        tracker_store = open_tracker_store({"DATABASE_URL": url})
        yield tracker_store
        tracker_store.engine.dispose()


def tracker(sender_id: str, events: List[Event]) -> DialogueStateTracker:
    slot = BooleanSlot(DELETION_SLOT, mappings=[{"type": "custom"}], initial_value=False)
    return DialogueStateTracker.from_events(sender_id, events, slots=[slot])


def turn(text: str, at: float) -> List[Event]:
    return [
        ActionExecuted("action_listen", timestamp=at),
        UserUttered(text, timestamp=at),
        BotUttered("an answer", timestamp=at),
    ]


def stored_texts(store: ClinicTrackerStore, sender_id: str) -> List[str]:
    found = asyncio.run(store.retrieve_full_tracker(sender_id))
    return [] if found is None else [e.text for e in found.events if isinstance(e, UserUttered)]


def test_a_conversation_is_saved_once_even_when_saved_again(store: ClinicTrackerStore) -> None:
    conversation = tracker("saved", turn("hello", time.time()))
    asyncio.run(store.save(conversation))
    asyncio.run(store.save(conversation))  # as after a retried save
    assert stored_texts(store, "saved") == ["hello"]


def test_the_deletion_slot_deletes_the_whole_conversation_instead_of_saving(
    store: ClinicTrackerStore,
) -> None:
    now = time.time()
    asyncio.run(store.save(tracker("leaving", turn("first", now - 10))))
    asyncio.run(store.save(tracker("staying", turn("mine", now))))
    asking = tracker(
        "leaving",
        turn("first", now - 10) + turn("delete my data", now) + [SlotSet(DELETION_SLOT, True)],
    )
    asyncio.run(store.save(asking))
    assert stored_texts(store, "leaving") == []
    assert stored_texts(store, "staying") == ["mine"]


def test_staff_deletion_removes_every_session_and_reports_how_much(
    store: ClinicTrackerStore,
) -> None:
    asyncio.run(
        store.save(tracker("forgotten", turn("one", time.time()) + turn("two", time.time())))
    )
    assert asyncio.run(store.delete_conversation("forgotten")) == 6
    assert stored_texts(store, "forgotten") == []
    assert asyncio.run(store.delete_conversation("forgotten")) == 0


def test_the_purge_removes_conversations_past_retention_and_keeps_the_others_whole(
    store: ClinicTrackerStore,
) -> None:
    now = time.time()
    asyncio.run(store.save(tracker("old", turn("long ago", now - 40 * DAY))))
    asyncio.run(
        store.save(tracker("returning", turn("long ago", now - 40 * DAY) + turn("today", now)))
    )
    purged = asyncio.run(store.purge_older_than(30, now=now))
    assert "old" in purged and "returning" not in purged
    assert stored_texts(store, "old") == []
    assert stored_texts(store, "returning") == ["long ago", "today"]


def a_referral(sender_id: str) -> ReferralSummary:
    return ReferralSummary(
        sender_id=sender_id,
        reason="appointment",
        contact=Contact("Ana Lopez", email="ana@example.com", preferred_time="mornings"),
        conversation_started_at="2026-11-30T09:00:00+00:00",
        referred_at="2026-11-30T09:05:00+00:00",
    )


def test_deleting_a_conversation_erases_its_referrals_too(store: ClinicTrackerStore) -> None:
    referral_id = new_referral_id()
    store.referrals.store(referral_id, a_referral("with-referral"), "{}", ["slack"])
    other_id = new_referral_id()
    store.referrals.store(other_id, a_referral("someone-else"), "{}", ["slack"])
    asking = tracker("with-referral", turn("delete my data", time.time()))
    asking.update(SlotSet(DELETION_SLOT, True))
    asyncio.run(store.save(asking))
    listed = {item["id"]: item for item in store.referrals.referrals()}
    assert listed[referral_id]["erased"] and listed[referral_id]["summary"] is None
    assert [d["status"] for d in listed[referral_id]["deliveries"]] == ["cancelled"]
    assert store.referrals.fhir(referral_id) is None
    assert listed[other_id]["summary"]["contact"]["name"] == "Ana Lopez"


def test_the_purge_deletes_referrals_past_retention(store: ClinicTrackerStore) -> None:
    now = time.time()
    old_id, new_id = new_referral_id(), new_referral_id()
    store.referrals.store(old_id, a_referral("old-referral"), "{}", ["slack"], now=now - 40 * DAY)
    store.referrals.store(new_id, a_referral("new-referral"), "{}", ["slack"], now=now)
    asyncio.run(store.purge_older_than(30, now=now))
    listed = {item["id"] for item in store.referrals.referrals()}
    assert old_id not in listed and new_id in listed


def test_opening_the_store_caps_the_wait_for_the_action_server(tmp_path: Path) -> None:
    open_tracker_store(
        {"TRACKER_SQLITE_PATH": str(tmp_path / "t.db"), "ACTION_SERVER_TIMEOUT_SECONDS": "4"}
    )
    assert rasa_actions.DEFAULT_REQUEST_TIMEOUT == 4


def test_a_postgresql_restart_loses_nothing_and_needs_no_server_restart() -> None:
    with scratch_database("restart") as url:
        store = open_tracker_store({"DATABASE_URL": url})
        asyncio.run(store.save(tracker("during-restart", turn("before", time.time()))))
        restart_postgres()  # every pooled connection is now dead
        conversation = asyncio.run(store.retrieve("during-restart"))
        assert conversation is not None
        conversation.update_with_events(turn("after", time.time()), None)
        asyncio.run(store.save(conversation))
        assert stored_texts(store, "during-restart") == ["before", "after"]
        store.engine.dispose()
