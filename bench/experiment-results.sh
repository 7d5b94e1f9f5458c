#!/usr/bin/env bash
# An A/B experiment's results through the API (docs/experiments.md#results): a small shop (24 items, every fourth on
# sale; 200 views of 40 users), a model trained, scenarios home and home-sale-boost (sale items x3), an experiment
# splitting home between them; every user is shown an answer, clicks its first item naming the answer's RecommId and
# buys it when it is on sale; then GET /api/experiments/sale-boost/results. Needs a Release build of src/Fresco.Cli.
# Usage: bench/experiment-results.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
D="$(mktemp -d /tmp/fresco-experiment.XXXXXX)"; mkdir -p $D/data
trap 'kill $(cat $D/pid) 2>/dev/null; rm -rf "$D"' EXIT
dotnet src/Fresco.Cli/bin/Release/net10.0/fresco.dll serve --port 8097 --data-dir $D/data > $D/server.log 2>&1 &
echo $! > $D/pid
for i in $(seq 1 60); do curl -s localhost:8097/api/health/ready >/dev/null 2>&1 && break; sleep 1; done
items=$(python3 -c 'import json; print(json.dumps([{"ItemId":f"{k}-{i}","Categories":[k],"Labels":(["sale"] if i%4==0 else [])} for k in ("shoe","bag") for i in range(1,13)]))')
curl -s -X POST localhost:8097/api/items -H 'Content-Type: application/json' -d "$items" >/dev/null
fb=$(python3 -c '
import json,random
r=random.Random(7); out=[]
for u in range(1,41):
  for _ in range(5):
    k=("shoe","bag")[u%2] if r.random()<0.8 else ("bag","shoe")[u%2]
    out.append({"FeedbackType":"view","UserId":f"u{u}","ItemId":f"{k}-{r.randint(1,12)}"})
print(json.dumps(out))')
curl -s -X POST localhost:8097/api/feedback -H 'Content-Type: application/json' -d "$fb" >/dev/null
curl -s -X POST localhost:8097/api/models/train >/dev/null
echo '$ curl -s -X PUT localhost:8097/api/scenarios/home ... ; curl -s -X PUT localhost:8097/api/scenarios/home-sale-boost ...'
curl -s -X PUT localhost:8097/api/scenarios/home -H 'Content-Type: application/json' -d '{"Diversity":{"MaxPerCategory":3}}' >/dev/null
curl -s -X PUT localhost:8097/api/scenarios/home-sale-boost -H 'Content-Type: application/json' -d '{"Diversity":{"MaxPerCategory":3},"Boosts":[{"Labels":["sale"],"Factor":3}]}' >/dev/null
curl -s -X PUT localhost:8097/api/experiments/sale-boost -H 'Content-Type: application/json' -d '{"Scenario":"home","Variants":[{"Name":"control","Weight":50},{"Name":"boost","Weight":50,"Scenario":"home-sale-boost"}],"Start":"2026-12-05T00:00:00Z","End":"2026-12-19T00:00:00Z"}' | cut -c1-60
echo '$ curl -si "localhost:8097/api/recommend/u1?n=4&scenario=home&explain=true" | grep -E "^X-|^\["'
curl -si "localhost:8097/api/recommend/u1?n=4&scenario=home&explain=true" | grep -E "^X-|^\["
echo '$ curl -si "localhost:8097/api/recommend/u2?n=4&scenario=home" | grep -E "^X-|^\["'
curl -si "localhost:8097/api/recommend/u2?n=4&scenario=home" | grep -E "^X-|^\["
# every user visits once; clicks the first item (ids named); a user buys it when it is on sale (every fourth item)
for u in $(seq 1 40); do
  resp=$(curl -si "localhost:8097/api/recommend/u$u?n=4&scenario=home")
  rid=$(echo "$resp" | grep -i '^X-Recommendation-Id' | tr -d '\r' | cut -d' ' -f2)
  first=$(echo "$resp" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0])')
  num=${first#*-}
  body="[{\"FeedbackType\":\"click\",\"UserId\":\"u$u\",\"ItemId\":\"$first\",\"RecommId\":\"$rid\"}"
  if [ $((num % 4)) -eq 0 ]; then body="$body,{\"FeedbackType\":\"purchase\",\"UserId\":\"u$u\",\"ItemId\":\"$first\",\"Value\":20}"; fi
  curl -s -X POST localhost:8097/api/feedback -H 'Content-Type: application/json' -d "$body]" >/dev/null
done
sleep 1
echo '$ curl -s localhost:8097/api/experiments/sale-boost/results | python3 -m json.tool --compact'
curl -s localhost:8097/api/experiments/sale-boost/results | python3 -m json.tool --compact
