"""A channel served in the test's own process, the way Rasa's connector tests do it.

The app is built by `rasa.core.run.configure_app([channel])`, exactly as `rasa run` builds it,
and spoken to through its ASGI interface: no model, no server, no port. The agent is a small
stand-in whose `handle_message` is the test's own coroutine, so a test decides what "the
assistant" answers. (sanic-testing, Sanic's own test client, is not in the venv; this is the
few lines of it the tests need.)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.run import configure_app
from sanic import Sanic

Answer = Callable[[UserMessage], Awaitable[None]]


async def say_back(message: UserMessage) -> None:
    """The default stand-in assistant: answers every message with "you said: <text>"."""
    await message.output_channel.send_text_message(message.sender_id, f"you said: {message.text}")


class StandInAgent:
    """What the channels' `on_new_message` calls (`app.ctx.agent.handle_message`)."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.received: List[UserMessage] = []

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        await self.answer(message)


@dataclass
class Response:
    status: int
    headers: Dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class InProcessApp:
    """One channel's Sanic app, started (its listeners run) on a private event loop."""

    def __init__(self, channel: InputChannel, answer: Answer = say_back) -> None:
        # Sanic refuses a second app of the same name in one process unless testing.
        Sanic.test_mode = True
        self.loop = asyncio.new_event_loop()
        self.app = configure_app([channel], enable_api=False)
        self.agent = StandInAgent(answer)
        self.app.ctx.agent = self.agent
        self._lifespan_messages: asyncio.Queue = asyncio.Queue()
        self._lifespan: Optional[asyncio.Task] = None

    def __enter__(self) -> InProcessApp:
        asyncio.set_event_loop(self.loop)
        self.run(self._start())
        return self

    def __exit__(self, *_: Any) -> None:
        self.run(self._stop())
        self.settle()
        # What the app keeps running between requests (e.g. engine.io's pings) ends here.
        leftovers = asyncio.all_tasks(self.loop)
        for task in leftovers:
            task.cancel()
        self.run(asyncio.gather(*leftovers, return_exceptions=True))
        self.loop.close()
        asyncio.set_event_loop(None)

    def run(self, coroutine: Awaitable[Any]) -> Any:
        return self.loop.run_until_complete(coroutine)

    def settle(self, seconds: float = 0.2) -> None:
        """Lets work the app started in the background (e.g. Slack's answers) finish."""
        self.run(asyncio.sleep(seconds))

    async def _start(self) -> None:
        started = asyncio.Event()

        async def send(message: Mapping[str, Any]) -> None:
            if message["type"] == "lifespan.startup.complete":
                started.set()

        await self._lifespan_messages.put({"type": "lifespan.startup"})
        self._lifespan = asyncio.ensure_future(
            self.app({"type": "lifespan"}, self._lifespan_messages.get, send)
        )
        await asyncio.wait_for(started.wait(), timeout=10)

    async def _stop(self) -> None:
        await self._lifespan_messages.put({"type": "lifespan.shutdown"})
        if self._lifespan is not None:
            # Sanic 21.12 goes on to handle the lifespan scope as a request once it has shut
            # down, and fails for want of one: the shutdown itself has run by then.
            with contextlib.suppress(AttributeError):
                await asyncio.wait_for(self._lifespan, timeout=10)

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: Optional[Mapping[str, str]] = None,
    ) -> Response:
        """One HTTP request through ASGI; the whole response."""
        return self.run(self._request(method, path, body, dict(headers or {})))

    def post_json(self, path: str, payload: Any, headers: Optional[Mapping[str, str]] = None):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return self.request(
            "POST", path, body, {"content-type": "application/json", **(headers or {})}
        )

    async def _request(
        self, method: str, path: str, body: bytes, headers: Dict[str, str]
    ) -> Response:
        path, _, query = path.partition("?")
        headers.setdefault("host", "testserver")
        headers["content-length"] = str(len(body))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        request_messages = [{"type": "http.request", "body": body, "more_body": False}]
        status: List[int] = []
        response_headers: List[Tuple[bytes, bytes]] = []
        chunks: List[bytes] = []

        async def receive() -> Dict[str, Any]:
            if request_messages:
                return request_messages.pop(0)
            await asyncio.sleep(3600)  # the client never disconnects mid-request
            return {"type": "http.disconnect"}

        async def send(message: Mapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                response_headers.extend(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        decoded = {k.decode().lower(): v.decode() for k, v in response_headers}
        return Response(status[0], decoded, b"".join(chunks))
