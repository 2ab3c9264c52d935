#!/usr/bin/env bash
# templatec sync against psql -f over a link with 20 ms round trips (issue 10).
#
#     sudo scripts/bench/postgres-rtt.sh [OPERATIONS]     (default 300)
#
# Makes a network namespace joined to this one by a veth pair whose two ends each delay packets by
# 10 ms (tc netem, Debian's iproute2), forwards a port on this side to the PostgreSQL server of
# scripts/db/start.sh (TEMPLATEC_PG_URL), and runs, inside the namespace, the same N
# `COMMENT ON TABLE` statements twice: `psql -f` in autocommit (one round trip per statement) and
# `templatec sync` (pipelined). Prints both rates. Everything it made is removed on exit, even on
# failure. Needs root (namespaces, tc) and python3 (the forwarder).
#
# Where the kernel has no netem (containers without the sch_netem module), the forwarder itself
# holds every chunk 10 ms in each direction, on loopback, with no namespace: the same 20 ms round
# trip for a request/answer exchange, without netem's packet-level effects.
set -euo pipefail
N=${1:-300}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${TEMPLATEC_BINARY:-$ROOT/.build/release/templatec}
[ -x "$BIN" ] || BIN=$ROOT/.build/debug/templatec
[ -x "$BIN" ] || { echo "build templatec first (swift build -c release)"; exit 2; }
DB_ENV=${TEMPLATEC_DB_DIR:-$ROOT/.db}/env
[ -z "${TEMPLATEC_PG_URL:-}" ] && [ -f "$DB_ENV" ] && . "$DB_ENV"
: "${TEMPLATEC_PG_URL:?PostgreSQL not configured: run scripts/db/start.sh or set TEMPLATEC_PG_URL}"
command -v ip >/dev/null && command -v tc >/dev/null || { echo "needs ip and tc (apt-get install iproute2)"; exit 2; }

NS=templatec-rtt-$$
HOST_IF=tcrtt0-$$; PEER_IF=tcrtt1-$$
HOST_IF=${HOST_IF:0:15}; PEER_IF=${PEER_IF:0:15}
HOST_IP=10.231.$(( $$ % 250 )).1; PEER_IP=10.231.$(( $$ % 250 )).2
PORT=${TEMPLATEC_RTT_PORT:-56150}
WORK=$(mktemp -d)
# The server's address and credentials, and a URL for the same server through the forwarder.
SERVER=$(echo "$TEMPLATEC_PG_URL" | sed -E 's|^[a-z]+://([^@]*@)?([^/:]+):?([0-9]*)/.*|\2 \3|')
read -r PG_HOST PG_PORT <<<"$SERVER"; PG_PORT=${PG_PORT:-5432}
CREDS=$(echo "$TEMPLATEC_PG_URL" | sed -E 's|^[a-z]+://(([^@]*)@)?.*|\2|')
DB=templatec_rtt_bench
LOCAL_URL="postgresql://${CREDS:+$CREDS@}$PG_HOST:$PG_PORT"
REMOTE_URL="postgresql://${CREDS:+$CREDS@}$HOST_IP:$PORT/$DB"

cleanup() {
    [ -n "${FORWARDER:-}" ] && kill "$FORWARDER" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    ip link del "$HOST_IF" 2>/dev/null || true
    psql "$LOCAL_URL/postgres" -Xqc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

psql "$LOCAL_URL/postgres" -Xqc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
psql "$LOCAL_URL/$DB" -Xqc "CREATE SCHEMA s; CREATE TABLE s.t (c int)"

ip netns add "$NS"
ip link add "$HOST_IF" type veth peer name "$PEER_IF"
ip link set "$PEER_IF" netns "$NS"
ip addr add "$HOST_IP/24" dev "$HOST_IF"; ip link set "$HOST_IF" up
ip netns exec "$NS" ip addr add "$PEER_IP/24" dev "$PEER_IF"
ip netns exec "$NS" ip link set "$PEER_IF" up
ip netns exec "$NS" ip link set lo up
HOLD=0
IN=(ip netns exec "$NS")
if ! tc qdisc add dev "$HOST_IF" root netem delay 10ms 2>/dev/null ||
   ! ip netns exec "$NS" tc qdisc add dev "$PEER_IF" root netem delay 10ms 2>/dev/null; then
    echo "no netem in this kernel: the forwarder holds each chunk 10 ms each way, on loopback"
    ip netns del "$NS"; ip link del "$HOST_IF" 2>/dev/null || true
    HOST_IP=127.0.0.1; HOLD=0.010; IN=()
    REMOTE_URL="postgresql://${CREDS:+$CREDS@}$HOST_IP:$PORT/$DB"
fi

# A TCP forwarder on this side of the link to the server (which listens on loopback only).
python3 - "$HOST_IP" "$PORT" "$PG_HOST" "$PG_PORT" "$HOLD" <<'PY' &
import queue, socket, sys, threading, time
host, port, target, tport, hold = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
def pipe(a, b):
    # Each chunk leaves `hold` seconds after it arrived, in order: a delay line, not a throttle.
    line = queue.Queue()
    def sender():
        while (item := line.get()) is not None:
            due, data = item
            if (wait := due - time.monotonic()) > 0: time.sleep(wait)
            try: b.sendall(data)
            except OSError: return
        for s in (a, b):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
    threading.Thread(target=sender, daemon=True).start()
    try:
        while (data := a.recv(65536)):
            line.put((time.monotonic() + hold, data))
    except OSError:
        pass
    line.put(None)
server = socket.create_server((host, port))
while True:
    client, _ = server.accept()
    upstream = socket.create_connection((target, tport))
    for s in (client, upstream): s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
    threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
PY
FORWARDER=$!
for _ in $(seq 50); do "${IN[@]}" psql "$REMOTE_URL" -XAtc "select 1" >/dev/null 2>&1 && break; sleep 0.1; done
START=$(date +%s.%N)
for _ in 1 2 3 4 5; do "${IN[@]}" psql "$REMOTE_URL" -XAtc "select 1" >/dev/null; done
echo "link: 5 connections and queries took $(python3 -c "import sys; print(f'{(float(sys.argv[2]) - float(sys.argv[1])) / 5 * 1000:.0f}')" "$START" "$(date +%s.%N)") ms each; $N operations"

python3 - "$N" "$DB" "$WORK" <<'PY'
import json, sys
n, db, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(f"{work}/statements.sql", "w") as f:
    for i in range(n): f.write(f"COMMENT ON TABLE s.t IS 'psql {i}';\n")
ops = [{"id": f"00000000-0000-4000-8000-{i:012d}", "entityLink": f"<#E::table::pg.{db}.s.t>",
        "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": f"templatec {i}"}} for i in range(n)]
json.dump({"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-0000000000ff",
           "type": "databaseService", "name": "pg"}, "operations": ops}, open(f"{work}/pipeline.json", "w"))
PY

rate() { python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[2]); print(f'{s:.2f} s, {n / s:.0f} ops/s')" "$@"; }
START=$(date +%s.%N)
"${IN[@]}" psql "$REMOTE_URL" -Xq -v ON_ERROR_STOP=1 -f "$WORK/statements.sql"
PSQL=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$START" "$(date +%s.%N)")
START=$(date +%s.%N)
"${IN[@]}" "$BIN" sync "$WORK/pipeline.json" --connector postgres --connection "$REMOTE_URL" >"$WORK/response.json" || { cat "$WORK/response.json" | head -20; exit 1; }
SYNC=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$START" "$(date +%s.%N)")
echo "psql -f (autocommit):  $(rate "$N" "$PSQL")"
echo "templatec sync:        $(rate "$N" "$SYNC")"
python3 -c "import sys; print(f'templatec / psql -f:   {float(sys.argv[1]) / float(sys.argv[2]):.1f}x (goal: at least 0.8x)')" "$PSQL" "$SYNC"
