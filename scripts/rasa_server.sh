#!/usr/bin/env bash
# Starts one Rasa server (one replica) with the committed endpoints.yml and credentials.yml, its
# settings from the environment (scripts/env.sh), on RASA_INTERFACE:RASA_PORT. `make run` calls
# it after set-up; a container runs it directly (see deploy/). `--check` only checks the
# configuration, so run.sh can refuse a bad one before the slow set-up.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
rasa=${RASA:-.venv/bin/rasa}
python=${PYTHON_BIN:-.venv/bin/python}

# Half-configured channels, settings the assistant cannot use, the API without a token: refused
# with a message naming the setting.
"$python" -m scripts.check_configuration
if [ "${1:-}" = "--check" ]; then exit 0; fi

# The HTTP API can read and rewrite every conversation: it is only ever opened with its token.
api_flags=()
case "${RASA_ENABLE_API:-false}" in
  1|true|TRUE|True|yes|on) api_flags=(--enable-api --auth-token "$RASA_AUTH_TOKEN") ;;
esac

# Sanic reads its bound on request bodies from the environment (the Rasa server's only: the
# action server receives whole conversations from it and must not have this bound).
export SANIC_REQUEST_MAX_SIZE="${SANIC_REQUEST_MAX_SIZE:-${MAX_REQUEST_BYTES:-65536}}"

exec "$rasa" run --model "${RASA_MODEL:-models/iliopsoas.tar.gz}" \
  --interface "$RASA_INTERFACE" --port "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml "${api_flags[@]}"
