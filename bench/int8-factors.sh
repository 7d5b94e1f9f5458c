#!/usr/bin/env bash
# Factor models served in fp32 and in int8 (quantize=none|int8) on ml-100k (random split, seeds 1-3) and ml-1m (given
# split): one markdown row per model, data set and quantization, with the int8 run's top-K overlap against the exact
# weights (Overlap@K, computed by fresco eval for any quantized model). Training is identical in both runs.
# Usage: nice -n 15 bench/int8-factors.sh [DATA_ROOT] [MODELS]   (defaults ../shared/data and "als bpr lightgcn")
# Extra options per model come from the environment, e.g. LIGHTGCN_SET="--set epochs=20".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
D="${1:-${FRESCO_DATA:-../shared/data}}"
MODELS="${2:-als bpr lightgcn}"
row() { /usr/bin/env python3 -c "
import json, sys
r = json.load(sys.stdin); m = r['metrics']
cell = lambda k: f\"{m[k]:.4f}\" if k in m else '-'
print(' | '.join(sys.argv[1:4] + [cell(k) for k in sys.argv[4:]]) + f\" | {r['eval_seconds']:.2f}\")" "$@"; }
echo "| model | data | quantize | NDCG@10 | Recall@10 | NDCG@20 | Recall@20 | Overlap@10 | Overlap@20 | rank s |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for m in $MODELS; do
  var="$(echo "$m" | tr '[:lower:]' '[:upper:]')_SET"
  read -r -a extra <<< "${!var:-}"
  for q in none int8; do
    for seed in 1 2 3; do
      ./fresco eval --data "$D/ml-100k/u.data" --model "$m" --protocol random --seed "$seed" --k 10,20 --set "quantize=$q" "${extra[@]}" --json 2>/dev/null \
        | row "$m" "ml-100k seed $seed" "$q" NDCG@10 Recall@10 NDCG@20 Recall@20 Overlap@10 Overlap@20 | sed "s/^/| /; s/$/ |/"
    done
    ./fresco eval --data "$D/ml-1m" --model "$m" --protocol given-split --k 10,20 --set "quantize=$q" "${extra[@]}" --json 2>/dev/null \
      | row "$m" "ml-1m" "$q" NDCG@10 Recall@10 NDCG@20 Recall@20 Overlap@10 Overlap@20 | sed "s/^/| /; s/$/ |/"
  done
done
