#!/usr/bin/env bash
# Starts the action server on ACTION_SERVER_INTERFACE:ACTION_SERVER_PORT (127.0.0.1:5055 by
# default: it has no authentication of its own, so only a container opens it wider, and there a
# network policy lets only the Rasa pods reach it). `make run` and `make shell` call it; a
# container runs it directly (see deploy/).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
# rasa-sdk reads the address to listen on from SANIC_HOST (its default would be 0.0.0.0). The
# Rasa server sends it whole conversations: the patients' body limit is not for it.
unset SANIC_REQUEST_MAX_SIZE
SANIC_HOST=$ACTION_SERVER_INTERFACE exec "${RASA:-.venv/bin/rasa}" run actions \
  --port "$ACTION_SERVER_PORT" --actions actions
