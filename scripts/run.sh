#!/usr/bin/env bash
# `make run`: sets up the venv, trains if the model is stale, then starts the action server and
# the Rasa server (REST, the website widget and its demo page, plus Telegram and Slack when
# their variables are set; port $RASA_PORT, default 5005) and keeps them running until Ctrl-C.
set -euo pipefail
. "$(dirname "$0")/prepare.sh"

rasa_port=${RASA_PORT:-5005}
action_port=5055  # the port endpoints.yml names
api_flags=()
if [ -n "${RASA_AUTH_TOKEN:-}" ]; then
  api_flags=(--enable-api --auth-token "$RASA_AUTH_TOKEN")
fi

# Channels on as the environment says (see README, "Channels"); secrets stay out of git.
RASA_PORT=$rasa_port .venv/bin/python scripts/write_credentials.py var/credentials.yml

pids=()
stop_servers() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop_servers EXIT INT TERM

.venv/bin/rasa run actions --port "$action_port" --actions actions &
pids+=($!)
.venv/bin/rasa run --model models/iliopsoas.tar.gz --port "$rasa_port" \
  --endpoints endpoints.yml --credentials var/credentials.yml "${api_flags[@]}" &
pids+=($!)

echo "Waiting for the servers to start (about 30 s) ..."
for _ in $(seq 1 120); do
  if curl -sf "http://localhost:$rasa_port/" >/dev/null && \
     curl -sf "http://localhost:$action_port/health" >/dev/null; then
    cat <<MSG

The assistant is running.
  Demo clinic page with the chat widget: http://localhost:$rasa_port/chat/
  Talk to it over REST:
    curl -s -XPOST localhost:$rasa_port/webhooks/rest/webhook \\
      -H 'Content-Type: application/json' -d '{"sender": "me", "message": "hi"}'
  Or in a terminal: make shell
  Stop with Ctrl-C.
MSG
    wait -n "${pids[@]}"
    exit 1
  fi
  sleep 1
done
echo "The servers did not start within 120 s." >&2
exit 1
