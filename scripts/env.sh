# Sourced by every start script, and by you before running `rasa` by hand at the root
# (`. scripts/env.sh && rasa shell`): loads .env, then gives every variable that endpoints.yml
# and credentials.yml read a value, because Rasa refuses to start on a ${VAR} that is not set.
# Empty means "not configured": the Python side applies the defaults (core/settings.py) and
# switches a channel off. What is already in the environment (a container's, a test's, one
# typed on the command line) wins over .env, and .env wins over these defaults.
cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." || return 1
set -a
if [ -f .env ]; then
  already_set=$(export -p | grep -v '^declare -[a-zA-Z]*r')  # readonly ones need no restoring
  . ./.env
  eval "$already_set"
  unset already_set
fi
: "${RASA_PORT:=5005}"
: "${ACTION_SERVER_PORT:=5055}"
: "${ACTION_SERVER_URL:=http://localhost:${ACTION_SERVER_PORT}/webhook}"
# Both servers listen on this machine only, unless a container says otherwise (deploy/ sets
# 0.0.0.0; the action server has no authentication of its own).
: "${RASA_INTERFACE:=127.0.0.1}"
: "${ACTION_SERVER_INTERFACE:=127.0.0.1}"
for variable in $(grep -ohE '\$\{[A-Z_]+\}' endpoints.yml credentials.yml | tr -d '${}' | sort -u); do
  eval ": \"\${$variable=}\""
done
# Patient conversations must never leave this machine: no Rasa telemetry or error reports.
RASA_TELEMETRY_ENABLED=false
set +a
