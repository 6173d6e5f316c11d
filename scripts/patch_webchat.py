"""Writes the rasa-webchat bundle the assistant serves: npm's file with two changes, once, when
the web assets are installed (scripts/setup.sh, deploy/Dockerfile). The server then serves the
result as it is (channels/web_widget.py).

1. No Google font: the bundle's stylesheet imports the Inter font from fonts.googleapis.com, so
   every page view would tell Google who opened the clinic's chat. The import is dropped; the
   widget falls back to the page's font.
2. WebSocket only: rasa-webchat 1.0.1 opens its socket with only a path, so it starts with HTTP
   long-polling, which needs every request of a socket to reach the same replica; the sticky
   cookie a load balancer would use is not sent from a clinic's own site (cross-site, no
   credentials). One WebSocket is one connection, so it stays on its replica.

Stops with an error if the bundle is not the one these changes were written for.

Usage: python scripts/patch_webchat.py [web/node_modules]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NODE_MODULES = ROOT / "web" / "node_modules"
# Inside rasa-webchat's own folder: a new npm install replaces both files together.
ORIGINAL = Path("rasa-webchat") / "lib" / "index.js"
PATCHED = Path("rasa-webchat") / "lib" / "index.clinic.js"

THIRD_PARTY_FONT_IMPORT = re.compile(r"@import url\(https://fonts\.googleapis\.com/[^)]*\);")
WEBCHAT_SOCKET_OPTIONS = "var r=n?{path:n}:{},o=zo()(e,r)"
WEBSOCKET_ONLY = 'var r=n?{path:n,transports:["websocket"]}:{transports:["websocket"]},o=zo()(e,r)'


def patched_bundle(bundle: str) -> str:
    """The bundle without its third-party font import, opening its socket as a WebSocket."""
    if WEBCHAT_SOCKET_OPTIONS not in bundle:
        raise ValueError("rasa-webchat changed: cannot find where it opens its socket")
    without_font = THIRD_PARTY_FONT_IMPORT.sub("", bundle)
    return without_font.replace(WEBCHAT_SOCKET_OPTIONS, WEBSOCKET_ONLY)


def write_patched_bundle(node_modules: Path) -> Path:
    """Writes the patched bundle beside npm's; returns its path."""
    original = node_modules / ORIGINAL
    if not original.is_file():
        raise FileNotFoundError(f"{original} is missing: install the web assets first (npm ci)")
    target = node_modules / PATCHED
    target.write_text(patched_bundle(original.read_text()))
    return target


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_NODE_MODULES
    print(f"Wrote {write_patched_bundle(folder)}")
