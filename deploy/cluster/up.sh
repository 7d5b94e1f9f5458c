#!/usr/bin/env bash
# Starts a Fresco cluster on this machine, everything on 127.0.0.1: its own PostgreSQL cluster (initdb) and Redis
# instance in --dir, N replicas of `fresco serve` on the ports after --port, HAProxy on --port in front of them.
# Returns once every replica and the balancer answer ready, and prints the URLs. Run it again with the same --dir to
# start whatever is not running (a killed replica, a stopped Redis or PostgreSQL): the ports and settings are kept in
# --dir/cluster.env. deploy/cluster/down.sh stops everything.
#
#   deploy/cluster/up.sh [--replicas 3] [--port 8088] [--dir ./fresco-cluster] [--api-key KEY]
#
# Environment: FRESCO_UP_TIMEOUT (seconds to wait for readiness, default 180); FRESCO_DLL (a built fresco.dll to
# run instead of building ./fresco); FRESCO_REPLICA_ENV (extra "Key=Value ..." settings for every replica, e.g.
# "Fresco__Training__Interval=00:00:00"; they come after, and so override, the runtime settings below). Exit codes: 0 ready, 1 something did not start, 2 bad arguments.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/common.sh"

replicas="" port="" dir="./fresco-cluster" api_key=""
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas="${2:-}"; shift 2 ;;
    --port) port="${2:-}"; shift 2 ;;
    --dir) dir="${2:-}"; shift 2 ;;
    --api-key) api_key="${2:-}"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "unknown argument '$1' (try --help)" ;;
  esac
done
[ -n "$dir" ] || usage_error "--dir must not be empty"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
load_state "$dir"
# Flags win over the saved state; the saved state over the defaults.
replicas="${replicas:-${FRESCO_REPLICAS:-3}}"
port="${port:-${FRESCO_PORT:-8088}}"
api_key="${api_key:-${FRESCO_API_KEY:-}}"
[[ "$replicas" =~ ^[1-9][0-9]?$ ]] || usage_error "--replicas must be 1 to 99 (got '$replicas')"
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1024 ] && [ $((port + replicas)) -le 65535 ] \
  || usage_error "--port must be 1024 to $((65535 - replicas)) (got '$port')"
mkdir -p "$dir/logs" "$dir/pids"

install_missing

# Ports: PostgreSQL and Redis on free ports above the replicas', chosen once and kept.
if [ -z "${FRESCO_PG_PORT:-}" ]; then FRESCO_PG_PORT=$(free_port $((port + 100))); fi
if [ -z "${FRESCO_REDIS_PORT:-}" ]; then FRESCO_REDIS_PORT=$(free_port $((FRESCO_PG_PORT + 1))); fi
cat >"$dir/cluster.env" <<EOF
FRESCO_REPLICAS=$replicas
FRESCO_PORT=$port
FRESCO_API_KEY=$api_key
FRESCO_PG_PORT=$FRESCO_PG_PORT
FRESCO_REDIS_PORT=$FRESCO_REDIS_PORT
EOF
load_state "$dir"
pg_connection="Host=127.0.0.1;Port=$FRESCO_PG_PORT;Username=postgres;Database=fresco"

start_postgres() {
  local bin data="$dir/pg/data"
  bin=$(pg_bin) || fail "PostgreSQL's initdb was not found under /usr/lib/postgresql/*/bin"
  mkdir -p "$dir/pg"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir/pg" # PostgreSQL refuses to run as root
    runuser -u postgres -- test -x "$dir/pg" \
      || fail "the postgres user cannot reach $dir (a parent folder is not searchable by others): choose another --dir"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/logs/initdb.log" 2>&1 \
      || fail "initdb failed (see $dir/logs/initdb.log)"
    cat >>"$data/postgresql.conf" <<EOF

# deploy/cluster/up.sh
listen_addresses = '127.0.0.1'
port = $FRESCO_PG_PORT
unix_socket_directories = '$dir/pg'
max_connections = 200
shared_buffers = 128MB
EOF
  fi
  if as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then return; fi
  touch "$dir/logs/postgres.log" && { [ "$(id -u)" != 0 ] || chown postgres: "$dir/logs/postgres.log"; }
  as_postgres "$bin/pg_ctl" -D "$data" -l "$dir/logs/postgres.log" -w -t 60 start >/dev/null \
    || fail "PostgreSQL did not start (see $dir/logs/postgres.log)"
  if ! psql -h 127.0.0.1 -p "$FRESCO_PG_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'fresco'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$FRESCO_PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE fresco" >/dev/null
  fi
}

start_redis() {
  if alive "$dir/pids/redis.pid"; then return; fi
  mkdir -p "$dir/redis"
  # A cache and a bus, never the only copy of anything: no snapshots.
  redis-server --bind 127.0.0.1 --port "$FRESCO_REDIS_PORT" --dir "$dir/redis" --save "" --appendonly no \
    --daemonize yes --pidfile "$dir/pids/redis.pid" --logfile "$dir/logs/redis.log" \
    || fail "Redis did not start (see $dir/logs/redis.log)"
  wait_for "Redis" 10 redis-cli -h 127.0.0.1 -p "$FRESCO_REDIS_PORT" ping
}

start_replica() {
  local i=$1 replica_port=$((port + i)) pid_file="$dir/pids/replica-$i.pid"
  if alive "$pid_file"; then return; fi
  port_free "$replica_port" || fail "port $replica_port (replica r$i) is in use by another process"
  mkdir -p "$dir/replica-$i"
  local args=(serve --postgres "$pg_connection" --redis "127.0.0.1:$FRESCO_REDIS_PORT" --node "r$i" --role all
    --url "http://127.0.0.1:$replica_port" --host 127.0.0.1 --port "$replica_port" --data-dir "$dir/replica-$i")
  if [ -n "$api_key" ]; then args+=(--api-key "$api_key"); fi
  # Runtime settings for replicas that share one machine's cores with each other, PostgreSQL and Redis (docs/cluster.md,
  # "Replicas on one machine"): no dynamic-PGO instrumented tier (each replica would JIT every hot method once more) and
  # no spinning of idle thread-pool workers (a spinning worker takes a core another process is waiting for).
  local runtime="DOTNET_TieredPGO=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0"
  # shellcheck disable=SC2086 # both are lists of words
  setsid env $runtime ${FRESCO_REPLICA_ENV:-} dotnet "$dll" "${args[@]}" >>"$dir/logs/replica-$i.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
}

start_haproxy() {
  if alive "$dir/pids/haproxy.pid"; then return; fi
  port_free "$port" || fail "port $port (HAProxy) is in use by another process"
  local by_user="" any="" i
  for i in $(seq 1 "$replicas"); do
    by_user+="  server r$i 127.0.0.1:$((port + i)) check"$'\n'
    any+="  server r$i 127.0.0.1:$((port + i)) track by_user/r$i"$'\n'
  done
  awk -v port="$port" -v by_user="${by_user%$'\n'}" -v any="${any%$'\n'}" \
    '{ gsub(/@PORT@/, port); if ($0 == "@BY_USER_SERVERS@") print by_user; else if ($0 == "@ANY_SERVERS@") print any; else print }' \
    "$here/haproxy.cfg.template" >"$dir/haproxy.cfg"
  haproxy -c -q -f "$dir/haproxy.cfg" || fail "the generated $dir/haproxy.cfg is invalid"
  haproxy -f "$dir/haproxy.cfg" -D -p "$dir/pids/haproxy.pid" >>"$dir/logs/haproxy.log" 2>&1 \
    || fail "HAProxy did not start (see $dir/logs/haproxy.log)"
}

dll="${FRESCO_DLL:-$root/.fresco-build/fresco.dll}"
if [ -z "${FRESCO_DLL:-}" ]; then
  "$root/fresco" --help >/dev/null || fail "fresco did not build (see $root/.fresco-build.log)"
fi
[ -f "$dll" ] || fail "$dll does not exist"

start_postgres
start_redis
for i in $(seq 1 "$replicas"); do start_replica "$i"; done
start_haproxy

deadline=$((SECONDS + ${FRESCO_UP_TIMEOUT:-180}))
for i in $(seq 1 "$replicas"); do
  until curl -fsS -o /dev/null "http://127.0.0.1:$((port + i))/api/health/ready" 2>/dev/null; do
    if ! alive "$dir/pids/replica-$i.pid"; then
      tail -n 20 "$dir/logs/replica-$i.log" >&2 || true
      fail "replica r$i exited (see $dir/logs/replica-$i.log)"
    fi
    [ $SECONDS -lt $deadline ] || fail "replica r$i was not ready within ${FRESCO_UP_TIMEOUT:-180} s (see $dir/logs/replica-$i.log)"
    sleep 0.2
  done
done
wait_for "HAProxy" 10 curl -fsS -o /dev/null "http://127.0.0.1:$port/api/health/ready"

echo "fresco cluster ready in $dir"
echo "  balancer    http://127.0.0.1:$port"
for i in $(seq 1 "$replicas"); do echo "  replica r$i  http://127.0.0.1:$((port + i))"; done
echo "  postgresql  $pg_connection"
echo "  redis       127.0.0.1:$FRESCO_REDIS_PORT"
echo "  logs        $dir/logs   stop: $here/down.sh --dir $dir"
