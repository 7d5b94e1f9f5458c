#!/usr/bin/env bash
# Every model with its default options on the three benchmark protocols; prints one markdown row per run.
# Usage: bench/quality.sh [DATA_ROOT]   (default ../shared/data); FRESCO_MODELS="als ease" limits the runs to those models
# (default: popularity itemknn als bpr ease, then the transformer). The defaults were chosen by bench/defaults.sh on
# validation splits only; these are test figures, measured once, never used to choose anything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
D="${1:-${FRESCO_DATA:-../shared/data}}"
./fresco --help >/dev/null # builds first when stale; then the same build serves every run
fresco() { dotnet .fresco-build/fresco.dll "$@"; }
metric() { /usr/bin/env python3 -c "import json,sys; r=json.load(sys.stdin); print(' | '.join(f\"{r['metrics'][k]:.4f}\" for k in sys.argv[1:]) + f\" | {r['train_seconds']:.1f}\")" "$@"; }
echo "| model | ml-100k NDCG@10, seeds 1 / 2 / 3 (**mean**) | beauty NDCG@10 | beauty HR@10 | beauty NDCG@20 | beauty train s | ml-1m Recall@20 | ml-1m NDCG@20 | ml-1m train s |"
echo "|---|---|---|---|---|---|---|---|---|"
models="${FRESCO_MODELS:-popularity itemknn als bpr ease transformer}"
for m in $models; do
  [ "$m" != transformer ] || continue
  s=()
  for seed in 1 2 3; do
    s+=("$(fresco eval --data "$D/ml-100k/u.data" --model "$m" --protocol random --seed "$seed" --k 10 --json 2>/dev/null | metric NDCG@10 | cut -d' ' -f1)")
  done
  mean=$(python3 -c "import sys; v=[float(x) for x in sys.argv[1:]]; print(f'{sum(v)/len(v):.4f}')" "${s[@]}")
  b=$(fresco eval --data "$D/amazon-beauty/Beauty.txt" --model "$m" --protocol leave-last-out --k 10,20 --json 2>/dev/null | metric NDCG@10 HR@10 NDCG@20)
  l=$(fresco eval --data "$D/ml-1m" --model "$m" --protocol given-split --k 20 --json 2>/dev/null | metric Recall@20 NDCG@20)
  echo "| $m | ${s[0]} / ${s[1]} / ${s[2]} (**$mean**) | $b | $l |"
done
# Sequential models: amazon-beauty leave-last-out only (ml-100k random and the ml-1m given split carry no next-item order).
for m in $models; do
  [ "$m" = transformer ] || continue
  b=$(fresco eval --data "$D/amazon-beauty/Beauty.txt" --model "$m" --protocol leave-last-out --k 10,20 --json 2>/dev/null | metric NDCG@10 HR@10 NDCG@20)
  echo "| $m | - | $b | - | - |"
done
