#!/usr/bin/env bash
# Server load benchmark (issue 3): import a data set into a fresh data folder, start `fresco serve` on it, train
# the first model, then measure over HTTP with the load generator: durable ingestion, GET /api/recommend at a fixed
# rate (with GET /api/health/live as the in-run baseline), and event-to-visible freshness.
# Usage: bench/server.sh [DATA (default ../shared/data/ml-1m)] [RATE (default 1000)] [DURATION s (default 30)]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA="${1:-${FRESCO_DATA:-../shared/data}/ml-1m}"
RATE="${2:-1000}"
DURATION="${3:-30}"
PORT="${PORT:-8099}"
URL="http://127.0.0.1:$PORT"
DIR="$(mktemp -d /tmp/fresco-bench.XXXXXX)"
load() { dotnet bench/Fresco.LoadTest/bin/Release/net10.0/Fresco.LoadTest.dll "$1" --url "$URL" "${@:2}"; }
dotnet build bench/Fresco.LoadTest -c Release -v q -nologo >/dev/null
./fresco --help >/dev/null   # builds the CLI when sources changed
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT
start() {
  ./fresco serve --port "$PORT" --data-dir "$DIR" >"$DIR/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do curl -fs "$URL/api/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "server did not become ready; log:" >&2; tail -20 "$DIR/server.log" >&2; exit 1
}
echo "# $(date -u +%F) $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo "## ingestion over HTTP into an empty server (POST /api/feedback, batches of 100, 64 writers)"
start
load ingest --data "$DATA" --batch 100 --writers 64
echo "## train the first model"
curl -fs -X POST "$URL/api/models/train" | head -c 600; echo
echo "## GET /api/recommend at $RATE/s for $DURATION s"
load recommend --rate "$RATE" --duration "$DURATION" --warmup 5
echo "## freshness"
load freshness --samples 500
echo "## server memory"
grep -E "VmRSS|VmHWM" "/proc/$SERVER_PID/status"
