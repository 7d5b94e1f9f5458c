#!/usr/bin/env bash
# Overload benchmark (issue 14): imports a data set into a fresh data folder, trains, then drives GET /api/recommend
# open-loop at each given rate, first with the default load shedding (Server:MaxConcurrentRequests 64,
# MaxQueuedRequests 128), then with it off (MaxConcurrentRequests 0), each on a fresh server over the same data.
# The result cache is off so that every request scores (the cache would hide the server's cost).
# Usage: bench/overload.sh RATE... (e.g. 1000 2000 5000); DATA (default ../shared/data/ml-1m), DURATION (20 s) from the environment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA="${DATA:-${FRESCO_DATA:-../shared/data}/ml-1m}"
DURATION="${DURATION:-20}"
PORT="${PORT:-8098}"
URL="http://127.0.0.1:$PORT"
DIR="$(mktemp -d /tmp/fresco-overload.XXXXXX)"
[ $# -gt 0 ] || { echo "usage: bench/overload.sh RATE..." >&2; exit 2; }
load() { dotnet bench/Fresco.LoadTest/bin/Release/net10.0/Fresco.LoadTest.dll "$1" --url "$URL" "${@:2}"; }
dotnet build bench/Fresco.LoadTest -c Release -v q -nologo >/dev/null
./fresco --help >/dev/null   # builds the CLI when sources changed
SERVER_PID=""
stop() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi; }
cleanup() { stop; rm -rf "$DIR"; }
trap cleanup EXIT
start() {
  env Fresco__Recommend__CacheUsers=0 Fresco__Training__Interval=00:00:00 Fresco__Training__AfterEvents=0 "$@" \
    ./fresco serve --port "$PORT" --data-dir "$DIR" >>"$DIR/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do curl -fs "$URL/api/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "server did not become ready; log:" >&2; tail -20 "$DIR/server.log" >&2; exit 1
}
echo "# $(date -u '+%F %H:%M') UTC, $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
start
load ingest --data "$DATA" --batch 1000 --writers 16 | tail -1
curl -fs -X POST "$URL/api/models/train" | head -c 200; echo
stop
for shedding in on off; do
  for rate in "$@"; do
    if [ "$shedding" = on ]; then start; else start Fresco__Server__MaxConcurrentRequests=0; fi
    echo "## shedding $shedding, $rate/s for $DURATION s (load average $(cut -d' ' -f1 /proc/loadavg))"
    load recommend --rate "$rate" --duration "$DURATION" --warmup 5 --control-rate 50 --users 10000 | tail -4 \
      || { echo "(load generator failed; server log:)"; tail -5 "$DIR/server.log" | cut -c1-300; }
    stop
  done
done
