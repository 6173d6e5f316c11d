#!/usr/bin/env bash
# `make shell`: chat with the assistant in the terminal. Works beside `make run`: it uses its own
# port (RASA_SHELL_PORT, default 5006) and the action server `make run` started, if one answers.
set -euo pipefail
. "$(dirname "$0")/prepare.sh"
shell_port=${RASA_SHELL_PORT:-5006}
if (exec 3<>"/dev/tcp/127.0.0.1/$shell_port") 2>/dev/null; then
  echo "Port $shell_port is taken: set RASA_SHELL_PORT to a free port (e.g. RASA_SHELL_PORT=5016 make shell)." >&2
  exit 2
fi
if ! curl -sf "http://127.0.0.1:$ACTION_SERVER_PORT/health" >/dev/null; then
  scripts/action_server.sh >/dev/null 2>&1 &
  action_server=$!
  trap 'kill $action_server 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$ACTION_SERVER_PORT/health" >/dev/null && break
    sleep 1
  done
fi
.venv/bin/rasa shell --model "${RASA_MODEL:-models/iliopsoas.tar.gz}" \
  --interface 127.0.0.1 --port "$shell_port" --endpoints endpoints.yml
