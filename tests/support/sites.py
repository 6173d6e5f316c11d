"""Static websites on 127.0.0.1 (each its own origin) that embed the widget as clinics do."""

from __future__ import annotations

import contextlib
import functools
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

from scripts.local_servers import free_port


@dataclass(frozen=True)
class ClinicSite:
    """Another website (another origin) that embeds the widget with the README's snippet."""

    folder: Path
    port: int

    @property
    def origin(self) -> str:
        return f"http://localhost:{self.port}"

    def write_page(self, assistant_url: str, attributes: str = "", name: str = "index.html") -> str:
        """Writes a page that embeds the widget from `assistant_url` with the README's line
        (plus `attributes` on the tag); returns its URL."""
        snippet = f'<script src="{assistant_url}/chat/widget.js" {attributes} defer></script>'
        (self.folder / name).write_text(
            "<!doctype html><html lang=en><head><meta charset=utf-8><title>A clinic</title>"
            f"</head><body><h1>A clinic's own site</h1>{snippet}</body></html>"
        )
        return f"{self.origin}/{name}"


class QuietFolderHandler(SimpleHTTPRequestHandler):
    def log_message(self, *_: Any) -> None:
        pass


@contextlib.contextmanager
def served_site(folder: Path) -> Iterator[ClinicSite]:
    """A static site serving `folder` on 127.0.0.1 (its own origin), for as long as needed."""
    site = ClinicSite(folder, free_port())
    handler = functools.partial(QuietFolderHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", site.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
