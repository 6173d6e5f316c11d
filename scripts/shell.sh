#!/usr/bin/env bash
# `make shell`: chat with the assistant in the terminal (starts the action server too).
set -euo pipefail
. "$(dirname "$0")/prepare.sh"
.venv/bin/rasa run actions --port 5055 --actions actions >/dev/null 2>&1 &
action_server=$!
trap 'kill $action_server 2>/dev/null || true' EXIT
.venv/bin/python scripts/write_endpoints.py var/endpoints.yml
.venv/bin/rasa shell --model models/iliopsoas.tar.gz --endpoints var/endpoints.yml
