#!/usr/bin/env bash
# Unpack the npm registry's copies of the packages the browser loads from jsDelivr into
# .cdn-cache/<name>@<version>/package/, for the browser tests (tests/browser/cdn.py).
# The package list comes from kindjournal/cdn.py, the one place that names them.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
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
