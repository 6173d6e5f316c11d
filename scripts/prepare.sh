# Sourced by run.sh and shell.sh: venv (with this checkout installed), the settings
# (scripts/env.sh: .env and the defaults), and a model that is up to date.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
. scripts/env.sh
.venv/bin/python scripts/train_if_stale.py
