"""Which conversation a widget socket belongs to, and the secret that proves it.

The server gives every new browser a session secret (`secrets.token_urlsafe`), sent only to
that browser's socket; rasa-webchat keeps it in the browser's storage and offers it again after a
reload, on the next page or in another tab of a "local" widget. The conversation id staff see
(`web-` and 32 hex digits) is a one-way hash of the secret: it names the conversation but cannot
continue it. Offering a conversation id, an old client-made session id or anything else that is
not a secret of ours gets a new secret, so a new conversation.

Why a hash and not a table of secrets: it needs no storage, so it works on every replica and
after restarts, with or without Redis, and there is nothing to expire or lose. A key (an HMAC)
would add nothing: a secret is 256 random bits, which no one can find from its hash.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any, Optional

SENDER_PREFIX = "web-"
SECRET_BYTES = 32
# What secrets.token_urlsafe(SECRET_BYTES) returns: 43 URL-safe base64 characters.
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
# Kept apart from any other use of SHA-256 over the same text.
HASH_CONTEXT = "iliopsoas-widget-session:"
CONVERSATION_HEX_DIGITS = 32


def new_session_secret() -> str:
    """A fresh secret for a browser that has none (or offered one that is not ours)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def valid_session_secret(candidate: Any) -> Optional[str]:
    """The secret a browser offered, if it has the shape of ours; None means "issue one".

    Conversation ids and the 32-hex-digit session ids of the earlier widget never pass: they
    were visible to staff and other clients, so they must not lead back into a conversation."""
    if isinstance(candidate, str) and SECRET_PATTERN.match(candidate):
        return candidate
    return None


def sender_id_for(session_id: str) -> str:
    """The conversation id of a widget session, namespaced so no other channel can collide."""
    return f"{SENDER_PREFIX}{session_id}"


def conversation_id_for(secret: str) -> str:
    """The conversation id (Rasa's sender id, what staff see) of the browser holding `secret`."""
    digest = hashlib.sha256(f"{HASH_CONTEXT}{secret}".encode()).hexdigest()
    return sender_id_for(digest[:CONVERSATION_HEX_DIGITS])
