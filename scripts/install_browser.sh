#!/usr/bin/env bash
# The website widget's tests drive a real browser: Debian's chromium (Playwright's own browser
# download cannot run here). Installs it once; later runs find it and return at once.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "Install Debian's chromium (apt-get install chromium) to run the browser tests." >&2
  exit 1
fi
as_root=()
[ "$(id -u)" = 0 ] || as_root=(sudo)
echo "Installing Debian's chromium for the browser tests ..."
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium >/dev/null
