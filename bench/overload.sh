#!/usr/bin/env bash
# Overload benchmark (issue 14): imports a data set into a fresh data folder, trains, then drives GET /api/recommend
# open-loop at each given rate with queue-delay shedding on (the defaults: Server:QueueDelayTarget 20 ms,
# QueueDelayInterval 200 ms) and off (QueueDelayTarget 0; the concurrency limit, 64 + 128, stays on in both), each run
# on a fresh server over the same data; the two settings alternate (on first in odd rounds, off first in even ones)
# so that both see the same machine. The result cache is off so that every request scores.
# Usage: bench/overload.sh RATE... (e.g. 1000 2000 5000); from the environment: DATA (default ../shared/data/ml-1m),
# DURATION (15 s measured after 5 s of warm-up), ROUNDS (3), OUT (a file that keeps every run's output), DATA_DIR (a
# data folder kept after the run: imported and trained on the first run, reused as it is by later ones).
# SERVER_CPUS and LOAD_CPUS (e.g. 0 and 1): CPU lists (taskset) for the server and the generator, so that requests
# beyond the server's capacity queue in the server, not in a CPU the generator shares (default: both unpinned).
# The last lines are the medians over the rounds (bench/overload-summary.py).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA="${DATA:-${FRESCO_DATA:-../shared/data}/ml-1m}"
DURATION="${DURATION:-15}"
ROUNDS="${ROUNDS:-3}"
PORT="${PORT:-8098}"
URL="http://127.0.0.1:$PORT"
DIR="${DATA_DIR:-$(mktemp -d /tmp/fresco-overload.XXXXXX)}"
OUT="${OUT:-$(mktemp /tmp/fresco-overload-runs.XXXXXX)}"
[ $# -gt 0 ] || { echo "usage: bench/overload.sh RATE..." >&2; exit 2; }
pin() { if [ -n "$1" ]; then echo taskset -c "$1"; fi; }
load() { $(pin "${LOAD_CPUS:-}") dotnet bench/Fresco.LoadTest/bin/Release/net10.0/Fresco.LoadTest.dll "$1" --url "$URL" "${@:2}"; }
dotnet build bench/Fresco.LoadTest -c Release -v q -nologo >/dev/null
./fresco --help >/dev/null   # builds the CLI when sources changed
SERVER_PID=""
stop() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi; }
cleanup() { stop; if [ -z "${DATA_DIR:-}" ]; then rm -rf "$DIR"; fi; }
trap cleanup EXIT
start() {
  env Fresco__Recommend__CacheUsers=0 Fresco__Training__Interval=00:00:00 Fresco__Training__AfterEvents=0 "$@" \
    $(pin "${SERVER_CPUS:-}") ./fresco serve --port "$PORT" --data-dir "$DIR" >>"$DIR/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do curl -fs "$URL/api/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "server did not become ready; log:" >&2; tail -20 "$DIR/server.log" >&2; exit 1
}
run() { # shedding rate round
  if [ "$1" = on ]; then start; else start Fresco__Server__QueueDelayTarget=00:00:00; fi
  echo "## round $3, shedding $1, $2/s for $DURATION s (load average $(cut -d' ' -f1 /proc/loadavg))"
  load recommend --rate "$2" --duration "$DURATION" --warmup 5 --control-rate 50 --users 10000 | tail -4 \
    || echo "(load generator exit code $?)"
  echo "shed: $(curl -fs "$URL/metrics" | grep '^fresco_server_requests_shed' | tr '\n' ' ')"
  echo "## end (load average $(cut -d' ' -f1 /proc/loadavg))"
  stop
}
{
  echo "# $(date -u '+%F %H:%M') UTC, $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ ! -e "$DIR/.imported" ]; then
    start
    load ingest --data "$DATA" --batch 1000 --writers 16 | tail -1
    curl -fs -X POST "$URL/api/models/train" | head -c 200; echo
    stop
    touch "$DIR/.imported"
  fi
  for round in $(seq 1 "$ROUNDS"); do
    for rate in "$@"; do
      if [ $((round % 2)) = 1 ]; then run on "$rate" "$round"; run off "$rate" "$round"; else run off "$rate" "$round"; run on "$rate" "$round"; fi
    done
  done
  echo "# done $(date -u '+%F %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT"
python3 bench/overload-summary.py "$OUT"
