# Shared settings for scripts/db/*.sh. Sourced, not run.
# Every value can be overridden from the environment.
set -euo pipefail

DB_SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$DB_SCRIPTS_DIR/../.." && pwd)
DB_DIR=${TEMPLATEC_DB_DIR:-$REPO_ROOT/.db}

PG_PORT=${TEMPLATEC_PG_PORT:-55432}
MYSQL_PORT=${TEMPLATEC_MYSQL_PORT:-53306}
CH_HTTP_PORT=${TEMPLATEC_CH_HTTP_PORT:-58123}
CH_TCP_PORT=${TEMPLATEC_CH_TCP_PORT:-59000}

# Test database, user and password, the same in every server.
TEST_DB=templatec
TEST_USER=templatec
TEST_PASSWORD=templatec

PG_URL="postgresql://$TEST_USER:$TEST_PASSWORD@127.0.0.1:$PG_PORT/$TEST_DB"
MYSQL_URL="mysql://$TEST_USER:$TEST_PASSWORD@127.0.0.1:$MYSQL_PORT/$TEST_DB"
CH_URL="http://127.0.0.1:$CH_HTTP_PORT/?database=$TEST_DB"

log()  { printf '[db] %s\n' "$*" >&2; }
die()  { printf '[db] error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as a service user when we are root (servers refuse root or should not run as it);
# as an ordinary user, run it as ourselves.
as_user() {
  local user=$1; shift
  if is_root; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# Find the binaries of PostgreSQL: Debian keeps them in /usr/lib/postgresql/<version>/bin.
pg_bindir() {
  if [ -n "${TEMPLATEC_PG_BINDIR:-}" ]; then echo "$TEMPLATEC_PG_BINDIR"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  d=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  [ -x "$d/initdb" ] || die "PostgreSQL server binaries (initdb, pg_ctl) not found: run scripts/db/install.sh or set TEMPLATEC_PG_BINDIR"
  echo "$d"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for SECONDS DESCRIPTION COMMAND...: retry COMMAND every 0.2 s until it succeeds or time is up.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
