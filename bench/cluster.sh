#!/usr/bin/env bash
# Cluster load benchmark (issue 10): a 3-replica cluster from deploy/cluster/up.sh (PostgreSQL, Redis, HAProxy, the
# replicas, all on this machine with the load generator) against a single-node SQLite server in the same run, with
# the same data and load: durable ingestion through the balancer, GET /api/recommend at a fixed rate through it,
# cross-replica event-to-visible (POST on r1, poll r2), the failover gap (recommend load while a replica is killed
# with -9) and memory per replica.
# Usage: bench/cluster.sh [DATA (default ../shared/data/ml-1m)] [RATE (default 1000)] [DURATION s (default 30)]
# Environment: LIMIT (events ingested, default 300000), REPLICAS (default 3), PORT (balancer, default 8188; the
# single node takes PORT+50, the replicas PORT+1.., PostgreSQL and Redis the first free ports from PORT+100), FRESCO_DLL
# (a built fresco.dll for both halves instead of ./fresco: to compare builds).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA="${1:-${FRESCO_DATA:-../shared/data}/ml-1m}"
RATE="${2:-1000}"
DURATION="${3:-30}"
LIMIT="${LIMIT:-300000}"
REPLICAS="${REPLICAS:-3}"
PORT="${PORT:-8188}"
SINGLE_PORT=$((PORT + 50))
DIR="$(mktemp -d /tmp/fresco-cluster-bench.XXXXXX)"
chmod 755 "$DIR" # PostgreSQL runs as the postgres user and must reach its folder
load() { dotnet bench/Fresco.LoadTest/bin/Release/net10.0/Fresco.LoadTest.dll "$1" --url "$2" "${@:3}"; }
dotnet build bench/Fresco.LoadTest -c Release -v q -nologo >/dev/null
if [ -n "${FRESCO_DLL:-}" ]; then FRESCO=(dotnet "$FRESCO_DLL"); else FRESCO=(./fresco); fi
"${FRESCO[@]}" --help >/dev/null # builds the CLI when sources changed
SINGLE_PID=""
cleanup() {
  [ -n "$SINGLE_PID" ] && kill "$SINGLE_PID" 2>/dev/null && wait "$SINGLE_PID" 2>/dev/null
  deploy/cluster/down.sh --dir "$DIR/cluster" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
rss() { grep -E "VmRSS|VmHWM" "/proc/$1/status" | tr -s ' \t' ' ' | tr '\n' ' '; echo; }
# CPU time (user + system, clock ticks) of a set of processes: a phase's cost per component is the difference of two
# readings. The components: the replicas, PostgreSQL (the postmaster and its backends), Redis, HAProxy and the load
# generators (this script's other children).
ticks() { local sum=0 pid; for pid in "$@"; do [ -r "/proc/$pid/stat" ] && sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0))); done; echo "$sum"; }
cluster_pids() { # one line per component: name pid...
  local postmaster
  postmaster=$(head -1 "$DIR/cluster/pg/data/postmaster.pid" 2>/dev/null || true)
  echo "replicas $(cat "$DIR"/cluster/pids/replica-*.pid 2>/dev/null | tr '\n' ' ')"
  echo "postgres $postmaster $( [ -n "$postmaster" ] && pgrep -P "$postmaster" | tr '\n' ' ')"
  echo "redis $(cat "$DIR/cluster/pids/redis.pid" 2>/dev/null)"
  echo "haproxy $(cat "$DIR/cluster/pids/haproxy.pid" 2>/dev/null)"
}
cpu_mark() { # $1: the function that lists the components (cluster_pids, single_pids)
  "$1" | while read -r name pids; do echo "$name $(ticks $pids)"; done
  awk '/^cpu / { print "machine", $2 + $3 + $4 + $7 + $8 }' /proc/stat # every process, the load generator's included
}
cpu_report() { # $1: the mark taken at the phase's start, $2: the phase's seconds, $3: as cpu_mark's $1
  local hz; hz=$(getconf CLK_TCK)
  paste -d' ' <(echo "$1") <(cpu_mark "$3") | awk -v hz="$hz" -v s="$2" '{ printf "%s %.2f cores  ", $1, ($4 - $2) / hz / s } END { print "(CPU over the phase)" }'
}
single_pids() { echo "server $SINGLE_PID"; }
# Wait until the replicas are quiet (under a tenth of a core together over a second), at most 60 s: the recommend phase
# measures serving, not the end of the ingestion's catch-up or a model load.
settle() {
  local before after waited=0 hz; hz=$(getconf CLK_TCK)
  while [ $waited -lt 60 ]; do
    before=$(ticks $(cat "$DIR"/cluster/pids/replica-*.pid)); sleep 1; waited=$((waited + 1))
    after=$(ticks $(cat "$DIR"/cluster/pids/replica-*.pid))
    [ $((after - before)) -lt $((hz / 10)) ] && break
  done
  echo "replicas quiet after $waited s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
}

echo "# $(date -u '+%F %H:%M') UTC, $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# data $DATA (first $LIMIT events), recommend $RATE/s for $DURATION s, $REPLICAS replicas"

echo "## baseline: one server on SQLite (fresco serve)"
"${FRESCO[@]}" serve --port "$SINGLE_PORT" --data-dir "$DIR/single" >"$DIR/single.log" 2>&1 &
SINGLE_PID=$!
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$SINGLE_PORT/api/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
URL="http://127.0.0.1:$SINGLE_PORT"
load ingest "$URL" --data "$DATA" --batch 100 --writers 64 --limit "$LIMIT"
curl -fs -X POST "$URL/api/models/train" -o "$DIR/train.json"; head -c 300 "$DIR/train.json"; echo # not piped: head closing early failed the script (pipefail)
mark=$(cpu_mark single_pids); started=$SECONDS
load recommend "$URL" --rate "$RATE" --duration "$DURATION" --warmup 5 || echo "(some requests failed: the figures above count them)"
cpu_report "$mark" $((SECONDS - started)) single_pids
load freshness "$URL" --samples 300
echo "memory: $(rss "$SINGLE_PID")"
kill "$SINGLE_PID"; wait "$SINGLE_PID" 2>/dev/null || true; SINGLE_PID=""

echo "## cluster: $REPLICAS replicas behind HAProxy (deploy/cluster/up.sh)"
deploy/cluster/up.sh --replicas "$REPLICAS" --port "$PORT" --dir "$DIR/cluster" | sed 's/^/  /'
URL="http://127.0.0.1:$PORT"
mark=$(cpu_mark cluster_pids); started=$SECONDS
load ingest "$URL" --data "$DATA" --batch 100 --writers 64 --limit "$LIMIT"
cpu_report "$mark" $((SECONDS - started)) cluster_pids
# Training through the balancer without holding a connection open for minutes: 202 at once, then GET /api/models (any
# replica: it reads PostgreSQL) until the run's version (newer than AfterVersion) is stored; the replicas load it.
after=$(curl -fsS -X POST "$URL/api/models/train?wait=false" | sed -n 's/.*"AfterVersion":\([0-9]*\).*/\1/p') || true
started=$SECONDS
until [ -z "$after" ] || [ "$(curl -fsS "$URL/api/models" | sed -n 's/.*"Versions":\[{"Version":\([0-9]*\).*/\1/p')" -gt "$after" ] 2>/dev/null \
  || [ $((SECONDS - started)) -ge 1800 ]; do sleep 2; done
curl -fsS "$URL/api/models" -o "$DIR/models.json" || true
echo "training through the balancer (202, then polled): $((SECONDS - started)) s; $(head -c 300 "$DIR/models.json" 2>/dev/null)"
sleep 2 # the new version is announced and loaded by every replica
settle
mark=$(cpu_mark cluster_pids); started=$SECONDS
load recommend "$URL" --rate "$RATE" --duration "$DURATION" --warmup 5 || echo "(some requests failed: the figures above count them)"
cpu_report "$mark" $((SECONDS - started)) cluster_pids
echo "### cross-replica event-to-visible: POST on r1, GET on r2 until the purchased item is gone"
load freshness "http://127.0.0.1:$((PORT + 1))" --read-url "http://127.0.0.1:$((PORT + 2))" --samples 300
for i in $(seq 1 "$REPLICAS"); do echo "memory r$i: $(rss "$(cat "$DIR/cluster/pids/replica-$i.pid")")"; done
echo "### failover: recommend at $RATE/s for 20 s through the balancer, kill -9 of r2 after 8 s (failed requests / rate = gap)"
(sleep 13 && kill -9 "$(cat "$DIR/cluster/pids/replica-2.pid")" && echo "killed r2 at $(date -u +%T.%N | cut -c1-12)") &
load recommend "$URL" --rate "$RATE" --duration 20 --warmup 5 || true
wait
