"""Tests for channels/deliveries.py: a retried delivery is recognised, memory stays bounded."""

from __future__ import annotations

from channels.deliveries import RecentDeliveries


def test_a_repeated_delivery_is_not_a_first_time() -> None:
    recent = RecentDeliveries()
    assert recent.first_time(7)
    assert not recent.first_time(7)
    assert recent.first_time(8)


def test_the_record_remembers_recent_keys_and_forgets_the_oldest() -> None:
    record = RecentDeliveries(capacity=3)
    assert [record.first_time(key) for key in ["a", "b", "a", "c"]] == [True, True, False, True]
    assert record.first_time("d") is True  # "a" is forgotten now
    assert len(record) == 3
    assert record.first_time("d") is False and record.first_time("b") is False
    assert record.first_time("a") is True
