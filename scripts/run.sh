#!/usr/bin/env bash
# `make run`: sets up the venv, trains if the model is stale, then starts the action server and
# one Rasa server (scripts/rasa_server.sh: REST, the website widget and its demo page, plus
# Telegram and Slack when their variables are set; port $RASA_PORT, default 5005), purges
# conversations past the retention period at start and daily, and keeps running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prepare.sh
scripts/rasa_server.sh --check  # refuse a bad configuration before training
rasa_port=$RASA_PORT
action_port=$ACTION_SERVER_PORT

pids=()
stop_servers() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop_servers EXIT INT TERM

scripts/action_server.sh &
pids+=($!)
scripts/rasa_server.sh &
pids+=($!)
# Retention (RETENTION_DAYS): now, then once a day.
.venv/bin/python -m scripts.purge_conversations --every-hours 24 &
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
  Or in a terminal, beside this one: make shell
  Stop with Ctrl-C.
MSG
    wait -n "${pids[@]}"
    exit 1
  fi
  sleep 1
done
echo "The servers did not start within 120 s." >&2
exit 1
