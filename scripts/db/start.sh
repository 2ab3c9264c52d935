#!/usr/bin/env bash
# Start private PostgreSQL, MariaDB and ClickHouse servers for tests, on loopback ports of their own,
# with their data under $REPO/.db/ (never the distribution's services or data).
# Safe to run twice: a server that is already running is reused.
# Prints the connection URLs; writes them to .db/env as well (see env.sh).
#
#   scripts/db/start.sh [pg] [mysql] [clickhouse]     (default: all three)
#
# Ports: TEMPLATEC_PG_PORT (55432), TEMPLATEC_MYSQL_PORT (53306),
#        TEMPLATEC_CH_HTTP_PORT (58123), TEMPLATEC_CH_TCP_PORT (59000). Data: TEMPLATEC_DB_DIR (.db).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WAIT_SECONDS=${TEMPLATEC_DB_WAIT:-40}
mkdir -p "$DB_DIR"

# service_dir NAME USER: the data directory of one server, owned by USER when we are root.
# A service user must be able to reach it; when the repository sits where it cannot (a clone under
# /root, mode 700), the directory goes to /tmp instead and .db/NAME links to it.
service_dir() {
  local name=$1 user=$2 dir="$DB_DIR/$1"
  if [ ! -L "$dir" ]; then
    mkdir -p "$dir"
    if is_root; then
      chown "$user:" "$dir"; chmod 700 "$dir"
      if ! runuser -u "$user" -- test -w "$dir" 2>/dev/null; then
        local alt="/tmp/templatec-db-$(printf '%s' "$REPO_ROOT" | cksum | cut -d' ' -f1)/$name"
        log "$user cannot reach $dir (a parent directory is not searchable): using $alt"
        rmdir "$dir" 2>/dev/null || true
        mkdir -p "$alt"; chmod 755 "$(dirname "$alt")"; chown "$user:" "$alt"; chmod 700 "$alt"
        ln -sfn "$alt" "$dir"
      fi
    fi
  fi
  (cd "$dir" && pwd -P)
}

# short_socket DIR NAME: a Unix socket path under DIR, or under /tmp when DIR is too long for one.
short_socket() {
  local path="$1/$2"
  if [ ${#path} -gt 100 ]; then path="/tmp/templatec-$2"; fi
  echo "$path"
}

# ---------------------------------------------------------------- PostgreSQL
start_pg() {
  local bin; bin=$(pg_bindir)
  local data; data=$(service_dir pg postgres)
  local psql=(env PGPASSWORD="$TEST_PASSWORD" PGCONNECT_TIMEOUT=3 psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$TEST_USER")
  if [ ! -f "$data/PG_VERSION" ]; then
    log "PostgreSQL: initdb in $data"
    # The superuser is the test user itself, with a password; no Unix socket (loopback TCP only).
    local pw; pw=$(mktemp /tmp/templatec-pgpw.XXXXXX); printf '%s\n' "$TEST_PASSWORD" >"$pw"; chmod 644 "$pw"
    as_user postgres "$bin/initdb" -D "$data" -U "$TEST_USER" --pwfile="$pw" -E UTF8 --locale=C.UTF-8 \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$DB_DIR/pg-initdb.log" 2>&1 \
      || { rm -f "$pw"; die "PostgreSQL initdb failed: see $DB_DIR/pg-initdb.log"; }
    rm -f "$pw"
    cat >>"$data/postgresql.conf" <<CONF
# templatec test server (scripts/db/start.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 40
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  fi
  if as_user postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    # The 4th line of postmaster.pid is the port the running server listens on.
    local running; running=$(sed -n 4p "$data/postmaster.pid" 2>/dev/null)
    [ "$running" = "$PG_PORT" ] || die "PostgreSQL from $data is already running on 127.0.0.1:$running, not :$PG_PORT: use TEMPLATEC_PG_PORT=$running, or stop it first (scripts/db/stop.sh)"
    log "PostgreSQL: already running on 127.0.0.1:$PG_PORT (reused)"
  else
    port_open "$PG_PORT" && die "PostgreSQL: port 127.0.0.1:$PG_PORT is taken by another process: stop it or set TEMPLATEC_PG_PORT"
    log "PostgreSQL: starting on 127.0.0.1:$PG_PORT"
    # The port is given on every start, never kept in postgresql.conf: a first run that found its
    # port taken must not pin the cluster to that port for the runs after it. (Clusters made by
    # older versions of this script have `port =` in postgresql.conf; the command line wins.)
    local began=$SECONDS
    if ! as_user postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -o "-p $PG_PORT" -w -t "$WAIT_SECONDS" start >/dev/null; then
      local took=$(( SECONDS - began ))
      local why="did not start within ${WAIT_SECONDS}s"
      [ "$took" -lt "$WAIT_SECONDS" ] && why="exited during start-up (after ${took}s)"
      die "PostgreSQL on 127.0.0.1:$PG_PORT $why; the end of $data/server.log:
$(tail -n 5 "$data/server.log" 2>/dev/null)"
    fi
  fi
  wait_for "$WAIT_SECONDS" postgres "${psql[@]}" -d postgres -c 'SELECT 1' \
    || die "PostgreSQL on 127.0.0.1:$PG_PORT does not accept connections: see $data/server.log"
  if [ -z "$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$TEST_DB'")" ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE $TEST_DB" || die "PostgreSQL: cannot create database $TEST_DB"
  fi
}

# ---------------------------------------------------------------- MariaDB
mysql_server_bin() { command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd /usr/sbin/mysqld 2>/dev/null | head -n 1; }

start_mysql() {
  local data; data=$(service_dir mariadb mysql)
  local sock; sock=$(short_socket "$data" "mariadb-$MYSQL_PORT.sock")
  local server; server=$(mysql_server_bin)
  [ -n "$server" ] || die "MariaDB server (mariadbd) not found: run scripts/db/install.sh"
  local client; client=$(command -v mariadb || command -v mysql) || die "mariadb client not found: run scripts/db/install.sh"
  local admin=("$client" --no-defaults -S "$sock" -u "$(id -un)" --connect-timeout=3)
  if [ ! -d "$data/mysql" ]; then
    log "MariaDB: mariadb-install-db in $data"
    local install; install=$(command -v mariadb-install-db || command -v mysql_install_db) \
      || die "mariadb-install-db not found: run scripts/db/install.sh"
    local userflag=(); is_root && userflag=(--user=mysql)
    "$install" --no-defaults --datadir="$data" "${userflag[@]}" --auth-root-authentication-method=socket \
      --skip-test-db >"$DB_DIR/mariadb-install.log" 2>&1 \
      || die "mariadb-install-db failed: see $DB_DIR/mariadb-install.log"
  fi
  local pidfile="$data/mariadbd.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "MariaDB: already running on 127.0.0.1:$MYSQL_PORT (reused)"
  else
    port_open "$MYSQL_PORT" && die "MariaDB: port 127.0.0.1:$MYSQL_PORT is taken by another process: stop it or set TEMPLATEC_MYSQL_PORT"
    log "MariaDB: starting on 127.0.0.1:$MYSQL_PORT"
    local userflag=(); is_root && userflag=(--user=mysql)
    setsid "$server" --no-defaults --datadir="$data" "${userflag[@]}" --bind-address=127.0.0.1 --port="$MYSQL_PORT" \
      --socket="$sock" --pid-file="$pidfile" --log-error="$data/error.log" --skip-name-resolve \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
      --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=2 --skip-log-bin \
      </dev/null >/dev/null 2>&1 &
  fi
  wait_for "$WAIT_SECONDS" mariadb "${admin[@]}" -e 'SELECT 1' \
    || die "MariaDB on 127.0.0.1:$MYSQL_PORT does not accept connections: see $data/error.log"
  "${admin[@]}" -e "CREATE DATABASE IF NOT EXISTS $TEST_DB CHARACTER SET utf8mb4;
    CREATE USER IF NOT EXISTS '$TEST_USER'@'%' IDENTIFIED BY '$TEST_PASSWORD';
    GRANT ALL PRIVILEGES ON *.* TO '$TEST_USER'@'%';" || die "MariaDB: cannot create the test database and user"
}

# ---------------------------------------------------------------- ClickHouse
start_clickhouse() {
  local data; data=$(service_dir clickhouse clickhouse)
  local server; server=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
  [ -x "$server" ] || die "clickhouse-server not found: run scripts/db/install.sh"
  local client=(clickhouse-client --host 127.0.0.1 --port "$CH_TCP_PORT")
  # The configuration is rewritten on every start: it is derived from the ports, never edited by hand.
  cat >"$data/config.xml" <<XML
<?xml version="1.0"?>
<!-- templatec test server, written by scripts/db/start.sh -->
<yandex>
    <logger><level>warning</level><log>$data/server.log</log><errorlog>$data/server.err.log</errorlog><size>10M</size><count>2</count></logger>
    <http_port>$CH_HTTP_PORT</http_port>
    <tcp_port>$CH_TCP_PORT</tcp_port>
    <listen_host>127.0.0.1</listen_host>
    <max_connections>256</max_connections>
    <keep_alive_timeout>10</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>67108864</uncompressed_cache_size>
    <mark_cache_size>67108864</mark_cache_size>
    <path>$data/data/</path>
    <tmp_path>$data/tmp/</tmp_path>
    <user_files_path>$data/user_files/</user_files_path>
    <format_schema_path>$data/format_schemas/</format_schema_path>
    <users_config>$data/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <mlock_executable>false</mlock_executable>
    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
</yandex>
XML
  cat >"$data/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>1000000000</max_memory_usage><load_balancing>random</load_balancing></default></profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
  is_root && chown clickhouse: "$data/config.xml" "$data/users.xml"
  local pidfile="$data/clickhouse-server.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "ClickHouse: already running on 127.0.0.1:$CH_HTTP_PORT (reused)"
  else
    port_open "$CH_HTTP_PORT" && die "ClickHouse: port 127.0.0.1:$CH_HTTP_PORT is taken by another process: stop it or set TEMPLATEC_CH_HTTP_PORT"
    port_open "$CH_TCP_PORT" && die "ClickHouse: port 127.0.0.1:$CH_TCP_PORT is taken by another process: stop it or set TEMPLATEC_CH_TCP_PORT"
    log "ClickHouse: starting on 127.0.0.1:$CH_HTTP_PORT (HTTP) and :$CH_TCP_PORT (native)"
    # --daemon forks, writes the pid file (only in daemon mode) and sends stdout/stderr to
    # stdout.log/stderr.log beside the log files.
    rm -f "$data/stdout.log" "$data/stderr.log"
    (cd "$data" && as_user clickhouse "$server" --daemon --config-file="$data/config.xml" --pid-file="$pidfile" \
      </dev/null >/dev/null 2>&1) || die "ClickHouse did not start: see $data/stderr.log and $data/server.err.log"
  fi
  wait_for "$WAIT_SECONDS" clickhouse "${client[@]}" -q 'SELECT 1' \
    || die "ClickHouse on 127.0.0.1:$CH_TCP_PORT does not accept connections: see $data/server.err.log and $data/stderr.log"
  "${client[@]}" -q "CREATE DATABASE IF NOT EXISTS $TEST_DB" || die "ClickHouse: cannot create database $TEST_DB"
}

which=("$@"); [ ${#which[@]} -gt 0 ] || which=(pg mysql clickhouse)
for s in "${which[@]}"; do
  case "$s" in
    pg|postgres|postgresql) start_pg ;;
    mysql|mariadb) start_mysql ;;
    clickhouse|ch) start_clickhouse ;;
    *) die "unknown server '$s': use pg, mysql or clickhouse" ;;
  esac
done

# The URLs, for env.sh and for people. The test password is not a secret: these are loopback test servers.
cat >"$DB_DIR/env" <<ENV
TEMPLATEC_PG_URL=$PG_URL
TEMPLATEC_MYSQL_URL=$MYSQL_URL
TEMPLATEC_CLICKHOUSE_URL=$CH_URL
ENV
cat "$DB_DIR/env"
