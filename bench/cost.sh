#!/usr/bin/env bash
# Training cost on the ml-1m given split: CPU time (user + system, all threads) and peak memory of one
# `fresco eval` per model, beside its Recall@20 / NDCG@20. Run it under `nice -n 15` on a shared machine.
# Usage: bench/cost.sh [DATA_ROOT]   (default ../shared/data)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
D="${1:-${FRESCO_DATA:-../shared/data}}"
./fresco --help >/dev/null # builds first when stale, so no build is timed
for run in "lightgcn --set epochs=3" \
  "lightgcn --set loss=softmax --set temperature=0.2 --set layers=0 --set batch_size=1024 --set negatives=256 --set epochs=10" \
  "als" "ease"; do
  echo "== $run"
  # shellcheck disable=SC2086 # the run holds the model and its --set options
  /usr/bin/time -v ./fresco eval --data "$D/ml-1m" --model $run --protocol given-split --k 20 --json 2>&1 \
    | grep -E '"Recall@20"|User time|System time|Maximum resident|Elapsed'
done
