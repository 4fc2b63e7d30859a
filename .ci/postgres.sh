#!/usr/bin/env bash
# A real PostgreSQL server for the verify engine's server tests.
#
#   eval "$(bash .ci/postgres.sh start)"   installs Debian's postgresql if missing, starts a private cluster
#                                          on a loopback port, prints `export MIGRATION_LINT_TEST_DATABASE_URL=…`
#   bash .ci/postgres.sh stop              stops it and deletes its data
#
# Everything goes to stderr except the export line. When no server can be installed or started, it prints
# nothing to stdout and exits 0: the server tests then skip and say why.
set -uo pipefail

DIR=/tmp/migration-lint-ci-pg
PORT=${MIGRATION_LINT_PG_PORT:-54329}

log() { echo "postgres.sh: $*" >&2; }

bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local bin
  bin=$(bin_dir)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "installing postgresql (apt-get)"
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2 || log "apt-get failed"
      bin=$(bin_dir)
    fi
  fi
  if [ -z "$bin" ]; then
    log "no PostgreSQL server available; the server engine tests will be skipped"
    return 0
  fi
  if [ -f "$DIR/data/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    log "already running on port $PORT"
  else
    rm -rf "$DIR"
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_postgres "$bin/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >&2 || { log "initdb failed"; return 0; }
    as_postgres "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >&2 \
      || { log "pg_ctl start failed:"; cat "$DIR/log" >&2; return 0; }
    log "started $("$bin/postgres" --version) on 127.0.0.1:$PORT"
  fi
  echo "export MIGRATION_LINT_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
}

stop() {
  local bin
  bin=$(bin_dir)
  [ -n "$bin" ] && [ -d "$DIR/data" ] && as_postgres "$bin/pg_ctl" -D "$DIR/data" -m fast stop >&2
  rm -rf "$DIR"
  return 0
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
