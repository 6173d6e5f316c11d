"""The staff API on the Rasa server: the referrals patients made, for the clinic's staff and its
record system.

- `GET /staff/referrals`: the referrals, newest first, with each channel's delivery status;
- `GET /staff/referrals/<id>/fhir`: one referral as a FHIR R4 QuestionnaireResponse;
- `GET /staff/referrals/questionnaire`: the FHIR Questionnaire its answers follow.

Listed in credentials.yml like a channel (the one place Rasa lets a plugin add routes), it is
off unless STAFF_API_TOKEN is set, and every request needs `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from functools import cached_property
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.credentials import ChannelConfigurationError, ChannelOff
from core.settings import SHORTEST_TOKEN
from referrals.fhir import questionnaire_json
from referrals.outbox import Outbox

logger = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"
STAFF_PREFIX = "/staff"


def read_token(credentials: Optional[Dict[str, Any]]) -> Optional[str]:
    """The staff token, None when unset (the API is off); a short one is refused."""
    token = str((credentials or {}).get("token") or "").strip()
    if not token:
        return None
    if len(token) < SHORTEST_TOKEN:
        raise ChannelConfigurationError(
            f"STAFF_API_TOKEN must be at least {SHORTEST_TOKEN} characters"
        )
    return token


def authorised(request: Request, token: str) -> bool:
    """True when the request carries `Authorization: Bearer <token>` (compared in constant
    time)."""
    header = request.headers.get("Authorization") or ""
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


class StaffApiInput(InputChannel):
    """The staff API's routes under /staff (no patient messages come in here)."""

    @classmethod
    def name(cls) -> str:
        return "staff"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        token = read_token(credentials)
        if token is None:
            return ChannelOff(cls.name())
        return cls(token)

    def __init__(self, token: str, outbox: Optional[Outbox] = None) -> None:
        self.token = token
        self._given_outbox = outbox

    @cached_property
    def outbox(self) -> Outbox:
        """The conversation database's outbox, opened on the first request."""
        if self._given_outbox is not None:
            return self._given_outbox
        opened = Outbox.open()
        opened.create_tables()
        return opened

    def url_prefix(self) -> str:
        return STAFF_PREFIX

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        staff = Blueprint("staff_api", url_prefix=STAFF_PREFIX)

        def refused() -> HTTPResponse:
            return response.json(
                {"error": "a valid staff token is needed"},
                status=401,
                headers={"WWW-Authenticate": "Bearer"},
            )

        @staff.route("/referrals", methods=["GET"])
        async def referrals(request: Request) -> HTTPResponse:
            if not authorised(request, self.token):
                return refused()
            listed = await asyncio.to_thread(self.outbox.referrals)
            return response.json({"referrals": listed})

        @staff.route("/referrals/questionnaire", methods=["GET"])
        async def questionnaire(request: Request) -> HTTPResponse:
            if not authorised(request, self.token):
                return refused()
            return response.text(questionnaire_json(), content_type=FHIR_JSON)

        @staff.route("/referrals/<referral_id:str>/fhir", methods=["GET"])
        async def fhir(request: Request, referral_id: str) -> HTTPResponse:
            if not authorised(request, self.token):
                return refused()
            found = await asyncio.to_thread(self.outbox.fhir, referral_id)
            if found is None:
                return response.json({"error": "no such referral"}, status=404)
            return response.text(found, content_type=FHIR_JSON)

        return staff
