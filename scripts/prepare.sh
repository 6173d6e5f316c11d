# Sourced by run.sh and shell.sh: venv, clinic settings from .env, and a model that is up to date.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export RASA_TELEMETRY_ENABLED=false  # nothing leaves this machine
scripts/setup.sh
if [ -f .env ]; then set -a; . ./.env; set +a; fi
.venv/bin/python scripts/train_if_stale.py
