"""Tests for rasa_sdk_plugins: rasa-sdk finds our plugin by its package name, and the plugin hooks
the referral delivery worker into the action server's start and stop."""

from __future__ import annotations

from rasa_sdk.plugin import plugin_manager
from sanic import Sanic

from rasa_sdk_plugins import ReferralDelivery


def test_rasa_sdk_registers_the_referral_delivery_plugin() -> None:
    assert any(isinstance(plugin, ReferralDelivery) for plugin in plugin_manager().get_plugins())


def test_the_plugin_starts_and_stops_the_worker_with_the_server() -> None:
    Sanic.test_mode = True
    app = Sanic("plugin_test")
    ReferralDelivery().attach_sanic_app_extensions(app=app)
    listeners = {event: [f.__name__ for f in found] for event, found in app.listeners.items()}
    assert "start_delivery" in listeners["after_server_start"]
    assert "stop_delivery" in listeners["before_server_stop"]
