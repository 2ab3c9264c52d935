#!/usr/bin/env bash
# Stop the test servers that scripts/db/start.sh started (only those: found by their pid files in .db/).
#   scripts/db/stop.sh [--wipe]     --wipe also deletes their data (.db/)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# stop_pidfile NAME PIDFILE: SIGTERM, wait up to 20 s, then SIGKILL.
stop_pidfile() {
  local name=$1 pidfile=$2 pid
  [ -f "$pidfile" ] || { log "$name: not running (no $pidfile)"; return 0; }
  pid=$(head -n 1 "$pidfile")
  if ! kill -0 "$pid" 2>/dev/null; then log "$name: not running"; rm -f "$pidfile"; return 0; fi
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || { log "$name: stopped"; rm -f "$pidfile"; return 0; }; sleep 0.2; done
  log "$name: did not stop within 20 s, killing pid $pid"; kill -KILL "$pid" 2>/dev/null || true; rm -f "$pidfile"
}

if [ -f "$DB_DIR/pg/PG_VERSION" ]; then
  # The real path: postgres may not be able to follow .db/pg from the repository (see start.sh).
  pgdata=$(cd "$DB_DIR/pg" && pwd -P)
  as_user postgres "$(pg_bindir)/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 && log "PostgreSQL: stopped" \
    || log "PostgreSQL: not running"
fi
stop_pidfile MariaDB "$DB_DIR/mariadb/mariadbd.pid"
stop_pidfile ClickHouse "$DB_DIR/clickhouse/clickhouse-server.pid"
stop_pidfile "MariaDB (crossed settings)" "$DB_DIR/mariadb-crossed/mariadbd.pid"

if [ "${1:-}" = "--wipe" ]; then
  for d in pg mariadb clickhouse mariadb-crossed; do
    if [ -L "$DB_DIR/$d" ]; then
      target=$(readlink "$DB_DIR/$d"); rm -rf "$target"; rmdir "$(dirname "$target")" 2>/dev/null || true
    fi
  done
  rm -rf "$DB_DIR"; log "removed $DB_DIR"
fi
