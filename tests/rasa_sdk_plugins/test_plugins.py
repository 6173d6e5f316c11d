"""Tests for rasa_sdk_plugins: rasa-sdk finds our plugin by its package name. (That the worker then
runs in the real action server is shown by tests/e2e/test_referrals_end_to_end.py.)"""

from __future__ import annotations

from rasa_sdk.plugin import plugin_manager

from rasa_sdk_plugins import ReferralDelivery


def test_rasa_sdk_registers_the_referral_delivery_plugin() -> None:
    assert any(isinstance(plugin, ReferralDelivery) for plugin in plugin_manager().get_plugins())
