#!/usr/bin/env bash
# Starts one Rasa server (one replica) from the environment: writes var/endpoints.yml (where
# conversations and locks live) and var/credentials.yml (channels), then execs `rasa run`.
# `make run` calls it after set-up; a container runs it directly (see deploy/).
set -euo pipefail
cd "$(dirname "$0")/.."
rasa=${RASA:-.venv/bin/rasa}
python=${PYTHON_BIN:-.venv/bin/python}

# The HTTP API can read and rewrite every conversation: never open it without a token.
api_flags=()
case "${RASA_ENABLE_API:-false}" in
  1|true|TRUE|True|yes|on)
    if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
      echo "Refusing to start: RASA_ENABLE_API is on but RASA_AUTH_TOKEN is not set." >&2
      echo "Set RASA_AUTH_TOKEN to a long random secret (openssl rand -hex 32), or turn the API off." >&2
      exit 2
    fi
    if [ "${#RASA_AUTH_TOKEN}" -lt 16 ]; then
      echo "Refusing to start: RASA_AUTH_TOKEN must be at least 16 characters long." >&2
      exit 2
    fi
    api_flags=(--enable-api --auth-token "$RASA_AUTH_TOKEN")
    ;;
esac
if [ "${1:-}" = "--check" ]; then exit 0; fi  # run.sh checks before the slow set-up

rasa_port=${RASA_PORT:-5005}
runtime=${RASA_RUNTIME_DIR:-var}  # where the generated endpoints and credentials go
mkdir -p "$runtime"
"$python" scripts/write_endpoints.py "$runtime/endpoints.yml"
RASA_PORT=$rasa_port "$python" scripts/write_credentials.py "$runtime/credentials.yml"

# Patient conversations must never leave this machine.
export RASA_TELEMETRY_ENABLED=false
exec "$rasa" run --model "${RASA_MODEL:-models/iliopsoas.tar.gz}" --port "$rasa_port" \
  --endpoints "$runtime/endpoints.yml" --credentials "$runtime/credentials.yml" "${api_flags[@]}"
