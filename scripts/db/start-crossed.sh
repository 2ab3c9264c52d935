#!/usr/bin/env bash
# Start the "crossed settings" MariaDB server for the session-contract tests
# (Tests/EndToEndTests/SessionCrossedSettingsTests.swift): a server whose defaults are the ones the
# escaper must not trust — character set latin1 and sql_mode NO_BACKSLASH_ESCAPES,ANSI_QUOTES
# without strict mode — on a loopback port of its own, data under $TEMPLATEC_DB_DIR/mariadb-crossed.
# Safe to run twice (a running server is reused). Writes its URL to $TEMPLATEC_DB_DIR/env.crossed:
#   TEMPLATEC_MYSQL_CROSSED_URL=mysql://templatec:templatec@127.0.0.1:56006/templatec
# Port: TEMPLATEC_MYSQL_CROSSED_PORT (56006). Stop it with scripts/db/stop.sh (or stop-crossed).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CROSSED_PORT=${TEMPLATEC_MYSQL_CROSSED_PORT:-56006}
WAIT_SECONDS=${TEMPLATEC_DB_WAIT:-40}

# crossed_dir: the data directory, reachable by the mysql user when we are root (else under /tmp).
crossed_dir() {
  local dir="$DB_DIR/mariadb-crossed"
  if [ ! -L "$dir" ]; then
    mkdir -p "$dir"
    if is_root; then
      chown mysql: "$dir"; chmod 700 "$dir"
      if ! runuser -u mysql -- test -w "$dir" 2>/dev/null; then
        local alt="/tmp/templatec-db-$(printf '%s' "$REPO_ROOT" | cksum | cut -d' ' -f1)/mariadb-crossed"
        rmdir "$dir" 2>/dev/null || true
        mkdir -p "$alt"; chmod 755 "$(dirname "$alt")"; chown mysql: "$alt"; chmod 700 "$alt"
        ln -sfn "$alt" "$dir"
      fi
    fi
  fi
  (cd "$dir" && pwd -P)
}

start_crossed_mysql() {
  mkdir -p "$DB_DIR"
  local data; data=$(crossed_dir)
  local sock="$data/mariadb.sock"; [ ${#sock} -gt 100 ] && sock="/tmp/templatec-mariadb-crossed-$CROSSED_PORT.sock"
  local server; server=$(command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd /usr/sbin/mysqld 2>/dev/null | head -n 1)
  [ -n "$server" ] || die "MariaDB server (mariadbd) not found: run scripts/db/install.sh"
  local client; client=$(command -v mariadb || command -v mysql) || die "mariadb client not found: run scripts/db/install.sh"
  local admin=("$client" --no-defaults -S "$sock" -u "$(id -un)" --connect-timeout=3)
  local userflag=(); is_root && userflag=(--user=mysql)
  if [ ! -d "$data/mysql" ]; then
    log "MariaDB (crossed settings): mariadb-install-db in $data"
    local install; install=$(command -v mariadb-install-db || command -v mysql_install_db) \
      || die "mariadb-install-db not found: run scripts/db/install.sh"
    "$install" --no-defaults --datadir="$data" "${userflag[@]}" --auth-root-authentication-method=socket \
      --skip-test-db >"$DB_DIR/mariadb-crossed-install.log" 2>&1 \
      || die "mariadb-install-db failed: see $DB_DIR/mariadb-crossed-install.log"
  fi
  local pidfile="$data/mariadbd.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "MariaDB (crossed settings): already running on 127.0.0.1:$CROSSED_PORT (reused)"
  else
    port_open "$CROSSED_PORT" && die "MariaDB (crossed settings): port 127.0.0.1:$CROSSED_PORT is taken: set TEMPLATEC_MYSQL_CROSSED_PORT"
    log "MariaDB (crossed settings): starting on 127.0.0.1:$CROSSED_PORT"
    # The crossed defaults: latin1 everywhere, backslash not an escape, "…" a name, not strict.
    setsid "$server" --no-defaults --datadir="$data" "${userflag[@]}" --bind-address=127.0.0.1 --port="$CROSSED_PORT" \
      --socket="$sock" --pid-file="$pidfile" --log-error="$data/error.log" --skip-name-resolve \
      --character-set-server=latin1 --collation-server=latin1_swedish_ci --skip-character-set-client-handshake \
      --sql-mode=NO_BACKSLASH_ESCAPES,ANSI_QUOTES \
      --innodb-buffer-pool-size=16M --innodb-flush-log-at-trx-commit=2 --skip-log-bin --performance-schema=OFF \
      </dev/null >/dev/null 2>&1 &
  fi
  wait_for "$WAIT_SECONDS" mariadb "${admin[@]}" -e 'SELECT 1' \
    || die "MariaDB (crossed settings) on 127.0.0.1:$CROSSED_PORT does not accept connections: see $data/error.log"
  "${admin[@]}" -e "CREATE DATABASE IF NOT EXISTS $TEST_DB;
    CREATE USER IF NOT EXISTS '$TEST_USER'@'%' IDENTIFIED BY '$TEST_PASSWORD';
    GRANT ALL PRIVILEGES ON *.* TO '$TEST_USER'@'%';" || die "MariaDB (crossed settings): cannot create the test database and user"
  printf 'TEMPLATEC_MYSQL_CROSSED_URL=mysql://%s:%s@127.0.0.1:%s/%s\n' "$TEST_USER" "$TEST_PASSWORD" "$CROSSED_PORT" "$TEST_DB" >"$DB_DIR/env.crossed"
  cat "$DB_DIR/env.crossed"
}

stop_crossed_mysql() {
  local pidfile="$DB_DIR/mariadb-crossed/mariadbd.pid" pid
  [ -f "$pidfile" ] || { log "MariaDB (crossed settings): not running"; return 0; }
  pid=$(head -n 1 "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || { log "MariaDB (crossed settings): stopped"; return 0; }; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}

case "${1:-start}" in
  start) start_crossed_mysql ;;
  stop) stop_crossed_mysql ;;
  *) die "usage: scripts/db/start-crossed.sh [start|stop]" ;;
esac
