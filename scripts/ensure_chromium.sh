#!/usr/bin/env bash
# Make sure the browser tests have a Chromium: $CHROMIUM if set, else Debian's /usr/bin/chromium,
# installing it with apt where we are root, else Playwright's own download (a laptop with internet).
set -euo pipefail
if [ -n "${CHROMIUM:-}" ]; then
  [ -x "$CHROMIUM" ] || { echo "CHROMIUM=$CHROMIUM is not an executable" >&2; exit 1; }
  exit 0
fi
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  "${PYTHON:-.venv/bin/python}" -m playwright install chromium
fi
