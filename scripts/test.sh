#!/usr/bin/env bash
# `make test`: the whole suite on a fresh machine: venv, lint, content checks, then pytest
# (which trains the model once if it is stale and shares it, and the servers, across tests).
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false  # nothing leaves this machine

scripts/setup.sh
scripts/install_browser.sh
.venv/bin/ruff format --check .
.venv/bin/ruff check .
.venv/bin/lint-imports  # the import layers (pyproject.toml): core at the bottom
verbatim_check=../shared/tools/verbatim_check.py
if [ -f "$verbatim_check" ]; then
  .venv/bin/python "$verbatim_check"
else
  echo "note: $verbatim_check not found beside the project; skipping the verbatim check" >&2
fi
exec .venv/bin/python -m pytest "$@"
