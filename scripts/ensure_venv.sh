#!/usr/bin/env bash
# Make sure `$PYTHON -m venv` can work: it needs ensurepip, which Debian and Ubuntu ship apart
# from Python, in python3-venv. Installs it with apt where we are root, else says what to install.
set -euo pipefail
PYTHON=${PYTHON:-python3}
"$PYTHON" -c "import ensurepip" 2>/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  echo "installing Debian's python$version-venv: $PYTHON -m venv needs it"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python$version-venv" >/dev/null || true
  "$PYTHON" -c "import ensurepip" 2>/dev/null && exit 0
fi
echo "$PYTHON -m venv needs ensurepip, which is missing: install your system's python3-venv" \
  "package (Debian, Ubuntu: sudo apt-get install python3-venv), then run make again." >&2
exit 1
