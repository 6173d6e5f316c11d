"""Action server plugins: rasa-sdk imports this package (by this name) when it starts and lets it
attach listeners to its Sanic app (`rasa_sdk.plugin`). Ours runs the referral delivery worker
beside the actions, from the server's start to its stop."""

from __future__ import annotations

import asyncio
import logging

import pluggy
from sanic import Sanic

from referrals import service

logger = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa_sdk")


class ReferralDelivery:
    """Starts the delivery worker with the action server and stops it with the server."""

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        stop = asyncio.Event()

        @app.after_server_start
        async def start_delivery(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
            if not service.delivery_channels_on():
                return  # nothing to send: no staff Slack, no mail server
            app.add_task(service.delivery_worker().run(stop))
            logger.info("Referral delivery worker started.")

        @app.before_server_stop
        async def stop_delivery(_app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
            stop.set()


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Called by rasa-sdk's plugin manager."""
    manager.register(ReferralDelivery())
