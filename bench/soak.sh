#!/usr/bin/env bash
# Soak (issue 14): a shop in a steady state. A seeded synthetic shop (`fresco generate`) whose events fall in the last
# FEEDBACK_TTL before now, imported into a fresh data folder; `fresco serve` on it with Store:FeedbackTtl (so feedback
# ages out gradually, a sweep every 10 s), Live:UserTtl (quiet users leave memory) and id compaction at each training;
# then the load generator's `soak` mode for DURATION seconds: recommendations and feedback of the active users (as many
# as imported, as many as new users arrive in a TTL: each new user sends the longest-active one quiet), feedback of
# new users, a catalog change every 5 s (a new item; the oldest added beyond 12 deleted) and a training run every
# TRAIN_EVERY s. So the live data (events/s x TTL), the users and the items known are flat once the imported users
# have gone quiet and been released. Each period (a training interval): recommend p50/p99, events written, non-2xx answers, the server's
# median RSS, and from its /metrics the users and items known, events in memory, users evicted / loaded / released /
# given a released slot, item slots released / reused, feedback expired, the managed heap, the GC's committed memory
# and SQLite's. Checks after a warm-up of two TTLs and a training interval: RSS of the last period under 5% above the
# first measured one, recommend p99 of every period within 20% of that one, no error answers; exits 1 when one fails.
# Usage: bench/soak.sh [DURATION s (default 1800)] [RATE ops/s (default 200)]; FEEDBACK_TTL (00:05:00), TRAIN_EVERY
# (180), USER_TTL (00:02:00), MAX_P99_GROWTH (20), MAX_MEMORY_GROWTH (5), PERIOD (TRAIN_EVERY), SQLITE_CACHE_MIB (16,
# Store:SqliteCacheMiB), PORT (8097) from the environment. Run it under `nice` on a shared machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DURATION="${1:-1800}"
RATE="${2:-200}"
PORT="${PORT:-8097}"
URL="http://127.0.0.1:$PORT"
DIR="$(mktemp -d /tmp/fresco-soak.XXXXXX)"
TTL="${FEEDBACK_TTL:-00:05:00}"
TRAIN_EVERY="${TRAIN_EVERY:-180}"
# A period is a training interval: every period then holds one training at its start, so periods are alike and the
# checks compare like with like (a minute with a training against one without says nothing about drift).
PERIOD="${PERIOD:-$TRAIN_EVERY}"
# SQLite's page cache small enough to fill during the warm-up (at the default 64 MiB this shop fills it in about
# 23 minutes: docs/benchmarks.md "Soak"), so that the checked periods see it at its bound.
SQLITE_CACHE_MIB="${SQLITE_CACHE_MIB:-16}"
ttl_seconds="$(echo "$TTL" | awk -F: '{ print ($1 * 3600) + ($2 * 60) + $3 }')"
# The active users: as many as new users arrive in a TTL (a quarter of the operations write, 30% of them as a new
# user), so that each stays active about a TTL before going quiet.
USERS=$(( RATE * ttl_seconds * 3 / 40 ))
# A quiet user's feedback expires a TTL after their last write, and their slot is released by the next training:
# from the start, the imported users have all gone quiet after a TTL, and their slots are free a TTL and a training
# interval later. That many periods are the warm-up.
WARMUP=$(( (2 * ttl_seconds + TRAIN_EVERY + PERIOD - 1) / PERIOD ))
load() { dotnet bench/Fresco.LoadTest/bin/Release/net10.0/Fresco.LoadTest.dll "$1" --url "$URL" "${@:2}"; }
dotnet build bench/Fresco.LoadTest -c Release -v q -nologo >/dev/null
./fresco --help >/dev/null   # builds the CLI when sources changed
SERVER_PID=""
cleanup() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi; rm -rf "$DIR"; }
trap cleanup EXIT
echo "# $(date -u '+%F %H:%M') UTC, $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# As many events as the load keeps live: a quarter of the operations write 3 events on average, over the TTL
# (1.1 events per view: the funnel).
views=$(( RATE * ttl_seconds * 3 * 10 / 4 / USERS / 11 ))
./fresco generate --users "$USERS" --items 3000 --seed 42 --span "$TTL" --end now --views-per-user "$(( views > 1 ? views : 1 ))" -o "$DIR/shop" >/dev/null
./fresco import --data "$DIR/shop/events.csv" --data-dir "$DIR/data" | tail -1
# Training only when the soak asks (POST /api/models/train), ALS (the auto search would dominate a small machine);
# the result cache and the shown index (impressions of a 24 h window, one entry per user shown) smaller than the users
# read, so that they are full (bounded) after the warm-up.
env Fresco__Live__UserTtl="${USER_TTL:-00:02:00}" Fresco__Store__FeedbackTtl="$TTL" Fresco__Store__ExpiryInterval=00:00:10 Fresco__Store__SqliteCacheMiB="$SQLITE_CACHE_MIB" Fresco__Training__Model=als Fresco__Training__Interval=00:00:00 \
  Fresco__Training__AfterEvents=0 Fresco__Recommend__CacheUsers=2000 Fresco__Impressions__MaxShownUsers="$USERS" \
  ./fresco serve --port "$PORT" --data-dir "$DIR/data" >"$DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do curl -fs "$URL/api/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "$URL/api/health/ready" >/dev/null || { echo "server did not become ready; log:" >&2; tail -20 "$DIR/server.log" >&2; exit 1; }
curl -fs -X POST "$URL/api/models/train" | head -c 200; echo
status=0
echo "feedback TTL $TTL, warm-up $WARMUP periods of $PERIOD s"
load soak --pid "$SERVER_PID" --duration "$DURATION" --rate "$RATE" --period "$PERIOD" --warmup "$WARMUP" --train-every "$TRAIN_EVERY" \
  --max-p99-growth "${MAX_P99_GROWTH:-20}" --max-memory-growth "${MAX_MEMORY_GROWTH:-5}" || status=$?
grep -E "VmRSS|VmHWM" "/proc/$SERVER_PID/status"
grep -ciE "\b(fail|error)" "$DIR/server.log" | sed 's/^/server log lines with fail or error: /'
exit "$status"
