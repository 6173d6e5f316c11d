#!/usr/bin/env bash
# Creates the Python 3.10 venv and installs the pinned requirements. Venvs are cached outside the
# checkout, one per hash of the requirements files, and .venv links to the right one: a fresh
# clone (as in CI) reuses it in seconds, and a change to the requirements builds a new one.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  for candidate in "${PYTHON:-}" python3.10 /root/.pyenv/versions/3.10.13/bin/python \
                   /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python 3.10 is needed (Rasa 3.6 does not run on 3.11); set PYTHON=/path/to/python3.10" >&2
  return 1
}

wanted=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)
cache_root=${VENV_CACHE_DIR:-$HOME/.cache/iliopsoas-assistant/venvs}
venv=$cache_root/$wanted

if [ ! -f "$venv/.complete" ]; then
  python=$(find_python)
  echo "Building the venv for these requirements ($venv) with $python ..."
  rm -rf "$venv"
  mkdir -p "$cache_root"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade "pip==24.3.1"
  "$venv/bin/python" -m pip install --quiet -r requirements-dev.txt
  # Telemetry and its error reports would send data to a third party: switch them off for good.
  RASA_TELEMETRY_ENABLED=false "$venv/bin/rasa" telemetry disable >/dev/null 2>&1 || true
  touch "$venv/.complete"
fi

if [ "$(readlink .venv 2>/dev/null)" != "$venv" ]; then
  rm -rf .venv
  ln -s "$venv" .venv
fi
