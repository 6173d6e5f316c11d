"""Which cost bucket a test belongs to, read from where it lives and the fixtures it uses, so a
new test lands in the right bucket without anyone remembering a decorator.

Each test gets exactly one bucket, the most expensive thing it needs; `make test-fast` runs the
`unit` bucket (no trained model, no server).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Dict, Iterable

# Most expensive first: the first that applies wins.
COST_BUCKETS: Dict[str, str] = {
    "browser": "drives a real browser (Playwright) against a running assistant",
    "replicas": "two Rasa replicas on PostgreSQL and Redis, killed and restarted",
    "e2e": "a real Rasa server (and action server) on local ports",
    "model": "needs the trained model (trained first if stale), but no server",
    "unit": "no trained model and no server: the fast loop (make test-fast)",
}
BROWSER_FIXTURES = frozenset({"browser"})
REPLICA_FIXTURES = frozenset({"cluster"})
SERVER_FIXTURES = frozenset({"assistant", "channel_assistant"})
MODEL_FIXTURES = frozenset({"trained_model"})
# Every test in these folders (relative to tests/) starts servers of its own.
SERVER_FOLDERS = frozenset({"e2e"})
REPLICA_MODULES = frozenset({"e2e/test_replicas.py"})


def cost_bucket(path_in_tests: str, fixtures: Iterable[str]) -> str:
    """The bucket of a test in `path_in_tests` (e.g. "channels/test_rest.py") that uses
    `fixtures` (every fixture it needs, directly or through other fixtures)."""
    path = PurePosixPath(path_in_tests)
    used = frozenset(fixtures)
    if used & BROWSER_FIXTURES:
        return "browser"
    if str(path) in REPLICA_MODULES or used & REPLICA_FIXTURES:
        return "replicas"
    if path.parts[0] in SERVER_FOLDERS or used & SERVER_FIXTURES:
        return "e2e"
    if used & MODEL_FIXTURES:
        return "model"
    return "unit"
