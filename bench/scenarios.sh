#!/usr/bin/env bash
# The latency cost of scenario rules (issue 12): give every item of the data set a category and labels (POST /api/items:
# category "g<id mod 12>", label "sale" on ids ending in 0 or 5, "out-of-stock" on ids ending in 7), import the data set
# into a fresh server with the result cache off (every answer is computed), train, store each scenario file as scenario
# s1, s2, ..., then measure GET /api/recommend at a fixed rate (GET /api/health/live at 100/s interleaved as the same-run
# baseline) without rules and with each scenario, ROUNDS times; the order of the sides alternates (off first in odd
# rounds, last in even ones) so that every side sees the same machine. Compare the medians over the rounds.
# Usage: bench/scenarios.sh [DATA (default ../shared/data/ml-1m)] [RATE (default 1000)] [DURATION s (default 20)] [ROUNDS (default 3)]
# SCENARIOS (from the environment): the scenario files, space-separated (default: bench/scenario-rules/structured.json,
# a label filter + a label boost + a diversity cap, and bench/scenario-rules/filter-constant.json, an expression filter).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA="${1:-${FRESCO_DATA:-../shared/data}/ml-1m}"
RATE="${2:-1000}"
DURATION="${3:-20}"
ROUNDS="${4:-3}"
read -r -a FILES <<<"${SCENARIOS:-bench/scenario-rules/structured.json bench/scenario-rules/filter-constant.json}"
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
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DIR"
}
trap cleanup EXIT
Fresco__Recommend__CacheUsers=0 ./fresco serve --port "$PORT" --data-dir "$DIR" >"$DIR/server.log" 2>&1 &
SERVER_PID=$!
ready=0
for _ in $(seq 1 600); do curl -fs "$URL/api/health/ready" >/dev/null 2>&1 && ready=1 && break; sleep 0.5; done
[ "$ready" = 1 ] || { echo "the server did not become ready" >&2; exit 1; }
echo "# $(date -u '+%F %H:%M') UTC, $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The catalog: the item ids of the data set ("user item item ..." per line; a folder holds train.txt and test.txt), with
# a category and labels each.
if [ -d "$DATA" ]; then cat "$DATA/train.txt" "$DATA/test.txt"; else cat "$DATA"; fi | python3 -c '
import json, sys
ids = sorted({i for line in sys.stdin for i in line.split()[1:]}, key=int)
def labels(i):
    return (["sale"] if i[-1] in "05" else []) + (["out-of-stock"] if i[-1] == "7" else [])
json.dump([{"ItemId": i, "Categories": ["g%d" % (int(i) % 12)], "Labels": labels(i)} for i in ids], sys.stdout)
' >"$DIR/items.json"
echo "items: $(curl -fs -X POST "$URL/api/items" -H 'Content-Type: application/json' --data-binary @"$DIR/items.json")"
load ingest --data "$DATA" --batch 100 --writers 64
kill -0 "$SERVER_PID" || { echo "the server exited during the import" >&2; exit 1; }
curl -fs -X POST "$URL/api/models/train" | head -c 300; echo
SIDES=(off)
for i in "${!FILES[@]}"; do
  name="s$((i + 1))"
  echo "scenario $name = ${FILES[$i]}: $(curl -fs -X PUT "$URL/api/scenarios/$name" -H 'Content-Type: application/json' --data-binary @"${FILES[$i]}" | head -c 200)"
  SIDES+=("$name")
done
measure() { # side round
  echo "## round $2: $1 (load average $(cut -d' ' -f1 /proc/loadavg))"
  if [ "$1" = off ]; then load recommend --rate "$RATE" --duration "$DURATION" --warmup 5 | tail -4 || echo "(load generator exit code $?)"
  else load recommend --rate "$RATE" --duration "$DURATION" --warmup 5 --scenario "$1" | tail -4 || echo "(load generator exit code $?)"; fi
}
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then order=("${SIDES[@]}"); else order=(); for ((j = ${#SIDES[@]} - 1; j >= 0; j--)); do order+=("${SIDES[$j]}"); done; fi
  for side in "${order[@]}"; do measure "$side" "$round"; done
done
echo "# done $(date -u '+%F %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
