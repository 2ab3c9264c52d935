# Source this file to get the test servers' URLs (written by scripts/db/start.sh):
#   . scripts/db/env.sh && swift test --filter EndToEndTests
# Exports TEMPLATEC_PG_URL, TEMPLATEC_MYSQL_URL, TEMPLATEC_CLICKHOUSE_URL. Values already set in the
# environment win, so a developer can point the tests at other servers.
# The tests also read .db/env themselves when these variables are not set.
_templatec_db_dir=${TEMPLATEC_DB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/../.." && pwd)/.db}
if [ -f "$_templatec_db_dir/env" ]; then
  while IFS='=' read -r _k _v; do
    case "$_k" in TEMPLATEC_*) [ -n "${!_k:-}" ] || export "$_k=$_v" ;; esac
  done <"$_templatec_db_dir/env"
else
  echo "scripts/db/env.sh: $_templatec_db_dir/env not found: run scripts/db/start.sh first" >&2
fi
unset _templatec_db_dir _k _v
