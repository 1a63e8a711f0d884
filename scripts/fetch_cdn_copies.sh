#!/usr/bin/env bash
# Unpack the npm registry's copies of the packages the browser loads from jsDelivr into
# .cdn-cache/<name>@<version>/package/, for the browser tests (tests/browser/cdn.py).
# The package list comes from kindjournal/cdn.py, the one place that names them.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's npm to fetch the CDN copies"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  else
    echo "npm is needed to fetch the CDN copies for the browser tests: install Node.js/npm" >&2
    exit 1
  fi
fi
mkdir -p .cdn-cache
for spec in $("$python" -m kindjournal.cdn); do
  [ -d ".cdn-cache/$spec/package" ] && continue
  echo "fetching $spec from the npm registry"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p ".cdn-cache/$spec"
  tar -xzf "$tmp"/*.tgz -C ".cdn-cache/$spec"
  rm -rf "$tmp"
done
