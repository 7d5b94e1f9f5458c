#!/usr/bin/env bash
# Stops what deploy/cluster/up.sh started in --dir (HAProxy, the replicas, Redis, PostgreSQL), by their pid files,
# and keeps the data: up.sh with the same --dir starts the same cluster again. Delete --dir to discard it.
#
#   deploy/cluster/down.sh [--dir ./fresco-cluster]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/common.sh"

dir="./fresco-cluster"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="${2:-}"; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "unknown argument '$1' (try --help)" ;;
  esac
done
[ -d "$dir" ] || { echo "nothing to stop: $dir does not exist"; exit 0; }
dir="$(cd "$dir" && pwd)"

stop_pid "$dir/pids/haproxy.pid" 5
for file in "$dir"/pids/replica-*.pid; do
  # Replicas stop gracefully on SIGTERM (requests finish, the store is closed).
  [ -e "$file" ] && stop_pid "$file" 20
done
stop_pid "$dir/pids/redis.pid" 5
if [ -f "$dir/pg/data/postmaster.pid" ] && bin=$(pg_bin); then
  as_postgres "$bin/pg_ctl" -D "$dir/pg/data" -m fast -w -t 30 stop >/dev/null \
    || as_postgres "$bin/pg_ctl" -D "$dir/pg/data" -m immediate -w stop >/dev/null || true
fi
echo "fresco cluster in $dir stopped"
