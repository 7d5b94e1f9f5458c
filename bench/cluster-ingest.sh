#!/usr/bin/env bash
# Durable ingestion through the balancer, builds alternated (issue 10): for each round and each build in turn, a fresh
# cluster from deploy/cluster/up.sh (training held off), LIMIT ml-1m events in batches of 100 from 64 writers through
# HAProxy, then down.sh. Prints one line per run (events/s; the replicas' and PostgreSQL's CPU seconds, utime+stime
# from /proc) and the medians per build. On a shared machine only the comparison within one invocation means anything.
# Usage: bench/cluster-ingest.sh ROUNDS NAME=FRESCO_DLL [NAME=FRESCO_DLL ...]
# Environment: DATA (default ../shared/data/ml-1m), LIMIT (events measured, default 200000), WARMUP (events sent first
# and not measured, default 0: fresh replicas spend their first half minute JIT-compiling), REPLICAS (3), PORT
# (balancer, default 8388).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
usage() { echo "usage: bench/cluster-ingest.sh ROUNDS NAME=FRESCO_DLL [NAME=FRESCO_DLL ...]" >&2; exit 2; }
[ $# -ge 2 ] && [[ "$1" =~ ^[1-9][0-9]*$ ]] || usage
rounds=$1
shift
for build in "$@"; do
  [[ "$build" == *=* ]] && [ -f "${build#*=}" ] || { echo "cluster-ingest.sh: '$build' is not NAME=an existing fresco.dll" >&2; exit 2; }
done
DATA="${DATA:-${FRESCO_DATA:-../shared/data}/ml-1m}"
LIMIT="${LIMIT:-200000}"
WARMUP="${WARMUP:-0}"
REPLICAS="${REPLICAS:-3}"
PORT="${PORT:-8388}"
DIR="$(mktemp -d /tmp/fresco-cluster-ingest.XXXXXX)"
chmod 755 "$DIR" # PostgreSQL runs as the postgres user and must reach its folder
trap 'deploy/cluster/down.sh --dir "$DIR/cluster" >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
dotnet build bench/Fresco.LoadTest -c Release -v q -nologo >/dev/null

# The replicas' CPU seconds so far (utime + stime, fields 14 and 15 of /proc/PID/stat).
cpu() {
  local total=0 file
  for file in "$DIR"/cluster/pids/replica-*.pid; do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$(cat "$file")/stat")))
  done
  awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }'
}

# PostgreSQL's CPU seconds so far: the postmaster's, its children's now running and those it already reaped (fields
# 14-17 of the postmaster's /proc/PID/stat; 14-15 of each child's).
pg_cpu() {
  local postmaster total
  postmaster=$(head -n 1 "$DIR/cluster/pg/data/postmaster.pid")
  total=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat")
  for child in $(cat "/proc/$postmaster/task/$postmaster/children"); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || echo 0)))
  done
  awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }'
}

echo "# $(date -u '+%F %H:%M') UTC, $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $LIMIT events of $DATA after $WARMUP, $REPLICAS replicas"
for round in $(seq 1 "$rounds"); do
  for build in "$@"; do
    name=${build%%=*}
    FRESCO_DLL="${build#*=}" FRESCO_REPLICA_ENV="Fresco__Training__MinEvents=1000000000" \
      deploy/cluster/up.sh --replicas "$REPLICAS" --port "$PORT" --dir "$DIR/cluster" >/dev/null
    if [ "$WARMUP" -gt 0 ]; then # the first WARMUP events, not measured: the replicas' code warmed up (tiered JIT)
      dotnet bench/Fresco.LoadTest/bin/Release/net10.0/Fresco.LoadTest.dll ingest --url "http://127.0.0.1:$PORT" \
        --data "$DATA" --batch 100 --writers 64 --limit "$WARMUP" >/dev/null
    fi
    load=$(cut -d' ' -f1 /proc/loadavg)
    before=$(cpu)
    pg_before=$(pg_cpu)
    rate=$(dotnet bench/Fresco.LoadTest/bin/Release/net10.0/Fresco.LoadTest.dll ingest --url "http://127.0.0.1:$PORT" \
      --data "$DATA" --batch 100 --writers 64 --skip "$WARMUP" --limit "$LIMIT" | sed -n 's/.* = \([0-9]*\) events\/s.*/\1/p')
    echo "$name round $round: ${rate:-failed} events/s, replica CPU $(awk -v a="$(cpu)" -v b="$before" 'BEGIN { printf "%.1f", a - b }') s, \
PostgreSQL CPU $(awk -v a="$(pg_cpu)" -v b="$pg_before" 'BEGIN { printf "%.1f", a - b }') s, load average $load $(date -u +%H:%M)" \
      | tee -a "$DIR/results"
    deploy/cluster/down.sh --dir "$DIR/cluster" >/dev/null
    rm -rf "$DIR/cluster"
  done
done
for build in "$@"; do
  name=${build%%=*}
  echo "$name median: $(grep "^$name round" "$DIR/results" | awk '{ print $4 }' | sort -n \
    | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }') events/s"
done
