#!/usr/bin/env python3
"""Medians over the rounds of bench/overload.sh's output: per rate and shedding setting, the accepted recommend
requests per second, their p50/p99 (ms, from the scheduled send time), the share answered 503, other failures
(no answer or another status), the health probe's p99 and the load average at the start of the runs."""
import re
import statistics
import sys
from collections import defaultdict

runs = defaultdict(list)
key = None
for line in open(sys.argv[1], encoding="utf-8"):
    if m := re.match(r"## round \d+, shedding (\w+), (\d+)/s .*load average ([\d.]+)", line):
        key = (int(m[2]), m[1])
        run = {"load": float(m[3])}
        runs[key].append(run)
    elif key and (m := re.match(r"GET /api/recommend/\{user\}\s+n=\s*(\d+) ok/s=\s*(\d+) failed=\s*(\d+)\s+p50=\s*(\S+) ms.*p99=\s*(\S+) ms  p99\.9", line)):
        run.update(n=int(m[1]), ok=int(m[2]), failed=int(m[3]), p50=float(m[4]), p99=float(m[5]))
    elif key and (m := re.match(r"GET /api/health/live.*p99=\s*(\S+) ms  p99\.9", line)):
        run["health_p99"] = float(m[1])
    elif key and line.startswith("statuses:"):
        counts = {s: int(c) for s, c in re.findall(r"(\w+(?: answer)?) x(\d+)", line)}
        total = sum(counts.values()) or 1
        run["shed"] = counts.get("503", 0) / total
        run["other"] = sum(c for s, c in counts.items() if s not in ("200", "503")) / total


def med(values):
    values = [v for v in values if v == v]  # drop NaN (no successful answer)
    return statistics.median(values) if values else float("nan")


print("| rate | shedding | runs | answered/s | p50 | p99 | 503 share | other failures | health p99 | load average |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (rate, shedding), rs in sorted(runs.items(), key=lambda kv: (kv[0][0], kv[0][1] != "on")):
    rs = [r for r in rs if "ok" in r]
    if not rs:
        continue
    print(f"| {rate:,}/s | {shedding} | {len(rs)} | {med(r['ok'] for r in rs):,.0f} | {med(r['p50'] for r in rs):.1f} ms "
          f"| {med(r['p99'] for r in rs):.1f} ms | {med(r.get('shed', 0) for r in rs):.1%} | {med(r.get('other', 0) for r in rs):.1%} "
          f"| {med(r.get('health_p99', float('nan')) for r in rs):.1f} ms | {min(r['load'] for r in rs):.0f}-{max(r['load'] for r in rs):.0f} |")
