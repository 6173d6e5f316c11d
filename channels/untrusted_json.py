"""JSON from outside (webhook bodies, socket messages), read with a bound on how deep it nests.

`json.loads` recurses once per level: a body of a few kilobytes nested thousands of levels deep
raises RecursionError, which Sanic answers with a 500, and a merely very deep one parses but
breaks whatever later walks or stores it. No message a platform or the widget sends nests more
than a dozen levels, so anything deeper is refused as a bad request before it is parsed.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any, Union

# Slack's interactive payloads, the deepest we receive, nest about eight levels.
MAX_NESTING_DEPTH = 32
# A JSON string, escapes included: brackets inside strings do not nest anything.
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
OPENING, CLOSING = frozenset(b"[{"), frozenset(b"]}")


class UntrustedJsonError(ValueError):
    """The text is not JSON we accept; the message says why, fit to show the sender."""


def nesting_depth(document: bytes) -> int:
    """How deep arrays and objects nest in a JSON document (0 for a bare value); a document
    with unbalanced brackets is measured as far as it goes (json.loads refuses it anyway)."""
    depth = deepest = 0
    for byte in JSON_STRING.sub(b'""', document):
        if byte in OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif byte in CLOSING:
            depth -= 1
    return deepest


def load_untrusted_json(document: Union[bytes, str]) -> Any:
    """The parsed document; UntrustedJsonError if it is not UTF-8 JSON or nests deeper than
    MAX_NESTING_DEPTH."""
    raw = document.encode("utf-8") if isinstance(document, str) else document
    if nesting_depth(raw) > MAX_NESTING_DEPTH:
        raise UntrustedJsonError(f"JSON nested more than {MAX_NESTING_DEPTH} levels deep")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise UntrustedJsonError("not valid JSON") from error


# python-socketio and python-engineio accept a JSON module (`json=`) for socket packets; this
# one reads them with the same bound.
SOCKET_JSON = SimpleNamespace(loads=load_untrusted_json, dumps=json.dumps)
