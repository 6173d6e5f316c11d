"""Writes Rasa's endpoints file from the environment: `python scripts/write_endpoints.py PATH`."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.endpoints import write_endpoints  # noqa: E402
from server.settings import SettingsError  # noqa: E402

if __name__ == "__main__":
    try:
        write_endpoints(Path(sys.argv[1]))
    except SettingsError as error:
        sys.exit(f"Cannot start: {error}")
