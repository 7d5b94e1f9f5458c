#!/usr/bin/env bash
# The latency cost of scenario rules (issue 12): import a data set into a fresh server with the result cache off (every
# answer is computed), train, store bench/scenario-ml1m.json as scenario "bench", then measure GET /api/recommend at a
# fixed rate alternating runs without and with ?scenario=bench, ROUNDS times each (the machine is shared: compare the
# medians of the alternating runs, not single runs).
# Usage: bench/scenarios.sh [DATA (default ../shared/data/ml-1m)] [RATE (default 1000)] [DURATION s (default 20)] [ROUNDS (default 3)]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA="${1:-${FRESCO_DATA:-../shared/data}/ml-1m}"
RATE="${2:-1000}"
DURATION="${3:-20}"
ROUNDS="${4:-3}"
PORT="${PORT:-8098}"
URL="http://127.0.0.1:$PORT"
DIR="$(mktemp -d /tmp/fresco-scenarios.XXXXXX)"
load() { dotnet bench/Fresco.LoadTest/bin/Release/net10.0/Fresco.LoadTest.dll "$1" --url "$URL" "${@:2}"; }
dotnet build bench/Fresco.LoadTest -c Release -v q -nologo >/dev/null
./fresco --help >/dev/null   # builds the CLI when sources changed
SERVER_PID=""
cleanup() {
  status=$?
  if [ "$status" != 0 ] && [ -f "$DIR/server.log" ]; then echo "failed ($status); the server's log ends:" >&2; tail -30 "$DIR/server.log" >&2; fi
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT
Fresco__Recommend__CacheUsers=0 ./fresco serve --port "$PORT" --data-dir "$DIR" >"$DIR/server.log" 2>&1 &
SERVER_PID=$!
ready=0
for _ in $(seq 1 600); do curl -fs "$URL/api/health/ready" >/dev/null 2>&1 && ready=1 && break; sleep 0.5; done
[ "$ready" = 1 ] || { echo "the server did not become ready" >&2; exit 1; }
echo "# $(date -u +%F) $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
load ingest --data "$DATA" --batch 100 --writers 64
kill -0 "$SERVER_PID" || { echo "the server exited during the import" >&2; exit 1; }
curl -fs -X POST "$URL/api/models/train" | head -c 300; echo
curl -fs -X PUT "$URL/api/scenarios/bench" -H 'Content-Type: application/json' --data-binary @bench/scenario-ml1m.json; echo
for round in $(seq 1 "$ROUNDS"); do
  echo "## round $round: rules off (load average $(cut -d' ' -f1 /proc/loadavg))"
  load recommend --rate "$RATE" --duration "$DURATION" --warmup 5
  echo "## round $round: rules on, scenario=bench (load average $(cut -d' ' -f1 /proc/loadavg))"
  load recommend --rate "$RATE" --duration "$DURATION" --warmup 5 --scenario bench
done
