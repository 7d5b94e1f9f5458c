# Shared by up.sh and down.sh (sourced, not run).

usage_error() { echo "$(basename "$0"): $1" >&2; exit 2; }
fail() { echo "$(basename "$0"): $1" >&2; exit 1; }

# Reads --dir/cluster.env (the ports and settings of the first up.sh) when it exists.
load_state() {
  if [ -f "$1/cluster.env" ]; then
    # shellcheck disable=SC1091
    source "$1/cluster.env"
  fi
}

# The newest Debian PostgreSQL bin folder with initdb.
pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] && echo "$bin"
}

# Runs a PostgreSQL tool as the postgres user when we are root (PostgreSQL refuses to run as root).
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Installs the Debian packages that are missing (postgresql, redis-server, haproxy; curl for the probes).
install_missing() {
  local missing=()
  pg_bin >/dev/null || missing+=(postgresql)
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v curl >/dev/null || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" = 0 ] || fail "missing ${missing[*]}: run as root, or apt-get install -y ${missing[*]}"
  echo "installing ${missing[*]}..." >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache policy "${missing[0]}" 2>/dev/null | grep -qE 'Candidate: [0-9]'; then
    apt-get update -qq
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# True when nothing listens on 127.0.0.1:$1.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first free port from $1 on.
free_port() {
  local p=$1
  until port_free "$p"; do p=$((p + 1)); done
  echo "$p"
}

# True when the pid file names a running process.
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# wait_for NAME SECONDS COMMAND...: runs COMMAND until it succeeds, or fails after SECONDS.
wait_for() {
  local name=$1 limit=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $limit ] || fail "$name was not ready within the time limit"
    sleep 0.2
  done
}

# stop_pid FILE SECONDS: SIGTERM, then SIGKILL after SECONDS; removes the pid file.
stop_pid() {
  local file=$1 limit=$((SECONDS + $2)) pid
  if alive "$file"; then
    pid=$(cat "$file")
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
      if [ $SECONDS -ge $limit ]; then kill -KILL "$pid" 2>/dev/null || true; break; fi
      sleep 0.1
    done
  fi
  rm -f "$file"
}
