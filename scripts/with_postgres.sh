#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster, e.g.
#   scripts/with_postgres.sh .venv/bin/pytest
# Starts a fresh cluster on a free 127.0.0.1 port in a temporary directory, creates the database
# `kindjournal`, exports DATABASE_URL for the command, and always stops and removes the cluster
# afterwards, whatever the command's outcome. Used by `make test-postgres`, `make load` and CI.
# The server binaries come from Debian's `postgresql` package (installed here when missing and
# we are root); override their folder with PGBIN.
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PGBIN/initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's postgresql for a throwaway cluster" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  [ -x "$PGBIN/initdb" ] || {
    echo "no PostgreSQL server in $PGBIN: install Debian's postgresql package or set PGBIN" >&2
    exit 1
  }
fi

# initdb refuses to run as root, so root runs the server as the `postgres` system user.
if [ "$(id -u)" = 0 ]; then
  as_owner=(runuser -u postgres --)
else
  as_owner=()
fi

PGTMP=$(mktemp -d -t kindjournal-pg.XXXXXX)
cleanup() {
  if [ -f "$PGTMP/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$PGTMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGTMP"

PGPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_owner[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --no-sync \
  >"$PGTMP/initdb.log" 2>&1 || { cat "$PGTMP/initdb.log" >&2; exit 1; }
# Durability is switched off: the cluster lives for one run and is thrown away.
"${as_owner[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c max_connections=200 \
      -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$PGTMP/server.log" >&2; exit 1; }
"${as_owner[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres kindjournal

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/kindjournal"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT (throwaway)" >&2
status=0
"$@" || status=$?
exit "$status"
