"""A stand-in for a messaging platform's Web API (Telegram Bot API, Slack Web API) on 127.0.0.1.

It records every call the assistant makes (path, headers, decoded body) and answers each with a
success reply, so channel tests can assert the exact calls that would have reached the platform
without touching the internet.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Union
from urllib.parse import parse_qs


@dataclass
class RecordedCall:
    """One request the assistant sent to the platform."""

    path: str
    headers: Dict[str, str]
    body: Dict[str, Any]

    @property
    def method(self) -> str:
        """The API method: the last part of the path (`sendMessage`, `chat.postMessage`)."""
        return self.path.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class ApiReply:
    """A reply other than "200 OK": a status, its JSON body and extra headers."""

    status: int
    body: Dict[str, Any]
    headers: Dict[str, str] = field(default_factory=dict)


Responder = Callable[[RecordedCall], Union[Dict[str, Any], ApiReply]]


def _decode_body(raw: bytes, content_type: str) -> Dict[str, Any]:
    if not raw:
        return {}
    if "application/json" in content_type:
        return json.loads(raw)
    if "application/x-www-form-urlencoded" in content_type:
        return {key: values[-1] for key, values in parse_qs(raw.decode()).items()}
    return {"_raw": raw.decode(errors="replace")}


@dataclass
class RecordingApi:
    """An HTTP server that records calls; `responder` builds each JSON reply."""

    responder: Responder
    calls: List[RecordedCall] = field(default_factory=list)
    _server: Optional[ThreadingHTTPServer] = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> RecordingApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
                length = int(self.headers.get("Content-Length") or 0)
                body = _decode_body(self.rfile.read(length), self.headers.get("Content-Type", ""))
                call = RecordedCall(self.path, dict(self.headers.items()), body)
                with api._lock:
                    api.calls.append(call)
                answer = api.responder(call)
                if not isinstance(answer, ApiReply):
                    answer = ApiReply(200, answer)
                reply = json.dumps(answer.body).encode()
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_GET = do_POST  # noqa: N815 (the name http.server calls)

            def log_message(self, *_: Any) -> None:
                pass  # keep test output quiet

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def calls_to(self, method: str) -> List[RecordedCall]:
        """The recorded calls of one API method, oldest first."""
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    def wait_for(
        self,
        predicate: Callable[[List[RecordedCall]], bool],
        timeout: float = 30,
        settle: float = 0.0,
    ) -> List[RecordedCall]:
        """Waits (bounded) until `predicate(calls)` holds, then `settle` seconds more, and
        returns a snapshot of the calls; raises TimeoutError with what arrived otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                snapshot = list(self.calls)
            if predicate(snapshot):
                if settle:
                    time.sleep(settle)
                    with self._lock:
                        snapshot = list(self.calls)
                return snapshot
            time.sleep(0.1)
        raise TimeoutError(f"calls after {timeout} s: {[(c.method, c.body) for c in self.calls]}")
