#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the pinned requirements. The venv is rebuilt only
# when the requirements change (their hash is stamped inside it), so repeat runs take seconds.
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

stamp=.venv/.requirements-hash
wanted=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && .venv/bin/python -c 'import rasa' 2>/dev/null; then
  exit 0
fi
python=$(find_python)
echo "Setting up .venv with $python ..."
rm -rf .venv
"$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade "pip==24.3.1"
.venv/bin/python -m pip install --quiet -r requirements-dev.txt
# Telemetry and its error reports would send data to a third party: switch them off for good.
RASA_TELEMETRY_ENABLED=false .venv/bin/rasa telemetry disable >/dev/null 2>&1 || true
echo "$wanted" > "$stamp"
