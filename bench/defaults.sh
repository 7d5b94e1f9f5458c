#!/usr/bin/env bash
# Chooses model defaults on validation splits only (docs/models.md, "How the defaults were chosen").
# Every candidate below is trained and scored by `fresco eval --on-validation`: the validation split that
# `--tune` searches on, carved from the training part with each data set's reporting protocol (ml-100k: 20% of
# the training part of each seed's random split, seeds 1-3; amazon-beauty leave-last-out: each user's last
# training item; ml-1m given split: 20% of train.txt). The test parts are never read.
# The rule, fixed before any number was seen: per data set, a candidate's score is the metric the data set is
# reported with (ml-100k NDCG@10, the mean over the seeds; beauty NDCG@10; ml-1m NDCG@20) divided by the best
# candidate's; the default is the candidate with the highest mean of the three (an exact tie: the earlier row).
# Usage: nice -n 15 bench/defaults.sh [MODEL...]   (default: itemknn als bpr ease); start it again beside itself to
#   run candidates in parallel (FRESCO_DEFAULTS_ORDER=reverse starts from the last candidate), and once more at the
#   end to print every table from the kept results.
#   data from $FRESCO_DATA (default ../shared/data); results kept in $FRESCO_DEFAULTS_OUT (default
#   /tmp/fresco-defaults), one line per run, so an interrupted run resumes and a finished one only prints.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
D="${FRESCO_DATA:-../shared/data}"
OUT="${FRESCO_DEFAULTS_OUT:-/tmp/fresco-defaults}"
mkdir -p "$OUT"
./fresco --help >/dev/null # builds first when stale; then the same build serves every run, even if sources change meanwhile
fresco() { dotnet .fresco-build/fresco.dll "$@"; }

# Candidates: the current default first, then each option moved down and up one step (a star around it).
candidates() {
  case "$1" in
    itemknn) printf '%s\n' "" "neighbors=100" "neighbors=1000" "shrinkage=0" "shrinkage=800" "weighting=tfidf" "weighting=none" ;;
    als) printf '%s\n' "" "factors=32" "factors=128" "regularization=10" "regularization=160" "alpha=1" "alpha=16" ;;
    bpr) printf '%s\n' "" "learning_rate=0.005" "learning_rate=0.08" "regularization=0.001" "regularization=0.1" ;;
    ease) printf '%s\n' "" "lambda_scale=2.5" "lambda_scale=11" "dropout=0" "dropout=0.5" "user_exponent=0" "user_exponent=0.3" \
      "dropout=0 user_exponent=0" ;;
    *) echo "defaults.sh: unknown model '$1' (itemknn, als, bpr, ease)" >&2; exit 2 ;;
  esac
}

# One validation run: data set key, fresco eval arguments, metric.
run() {
  local model="$1" sets="$2" key="$3" metric="$4"; shift 4
  local file="$OUT/$model.tsv" label="${sets:-defaults}"
  # Whole fields: "user_exponent=0" must not match the line of "dropout=0 user_exponent=0".
  if cut -f1,2 "$file" 2>/dev/null | grep -qxF -- "$label	$key"; then return; fi
  # Several copies may run side by side (each takes the runs no live copy has claimed).
  local claim="$OUT/.claim-$model-$(printf '%s' "$label/$key" | md5sum | cut -c1-12)"
  # A live claim: its process is a copy of this script (not a later process that reused the number).
  if [ -f "$claim" ] && ps -o args= -p "$(cat "$claim")" 2>/dev/null | grep -q defaults.sh; then return; fi
  echo $$ >"$claim"
  local args=() s
  for s in $sets; do args+=(--set "$s"); done
  local value
  value=$(fresco eval --model "$model" "${args[@]}" "$@" --on-validation --json </dev/null 2>/dev/null \
    | python3 -c "import json,sys; print(json.load(sys.stdin)['metrics'][sys.argv[1]])" "$metric")
  printf '%s\t%s\t%s\n' "$label" "$key" "$value" >>"$file"
}

models=("$@")
[ ${#models[@]} -gt 0 ] || models=(itemknn als bpr ease)
for model in "${models[@]}"; do
  while IFS= read -r sets; do
    for seed in 1 2 3; do
      run "$model" "$sets" "ml-100k/$seed" NDCG@10 --data "$D/ml-100k/u.data" --protocol random --seed "$seed" --k 10
    done
    run "$model" "$sets" beauty NDCG@10 --data "$D/amazon-beauty/Beauty.txt" --protocol leave-last-out --k 10
    run "$model" "$sets" ml-1m NDCG@20 --data "$D/ml-1m" --protocol given-split --k 20
  done < <(if [ "${FRESCO_DEFAULTS_ORDER:-}" = reverse ]; then candidates "$model" | tac; else candidates "$model"; fi)
  CANDIDATES="$(candidates "$model")" python3 - "$OUT/$model.tsv" "$model" <<'EOF'
import os, sys
from collections import defaultdict
path, model = sys.argv[1], sys.argv[2]
rows = defaultdict(lambda: defaultdict(list))
order = []
for line in open(path):
    label, key, value = line.rstrip("\n").split("\t")
    if label not in order:
        order.append(label)
    rows[label][key.split("/")[0]].append(float(value))
sets = ["ml-100k", "beauty", "ml-1m"]
score = {l: {d: sum(v) / len(v) for d, v in rows[l].items()} for l in order}
complete = [l for l in order if all(d in score[l] for d in sets) and len(set(rows[l]["ml-100k"])) == 3]
best = {d: max(score[l][d] for l in complete) for d in sets}
mean = {l: sum(score[l][d] / best[d] for d in sets) / len(sets) for l in complete}
winner = max(complete, key=lambda l: (mean[l], -complete.index(l)))
print(f"\n{model}: validation only (ml-100k NDCG@10 mean of seeds 1-3, beauty NDCG@10, ml-1m NDCG@20)\n")
print("| options | ml-100k | beauty | ml-1m | mean relative |")
print("|---|---|---|---|---|")
for l in complete:
    mark = " **(the rule's pick)**" if l == winner else ""
    print(f"| `{l}`{mark} | {score[l]['ml-100k']:.4f} | {score[l]['beauty']:.4f} | {score[l]['ml-1m']:.4f} | {mean[l]:.4f} |")
missing = [l or "defaults" for l in os.environ["CANDIDATES"].split("\n")]
missing = [l for l in missing if l not in complete]
if missing:
    print(f"\nnot yet scored on all three (the choice is provisional): {', '.join(missing)}")
EOF
done
