#!/usr/bin/env bash
# Runs the measurement set of issue 11, and nothing else, with 3 forks of 2 x 2 s warmup and
# 3 x 2 s measurement per case, -prof gc and the project's CPU profiler on every case:
#
#   redis16  Redis16Threads: floor, lettuceFloor, wovenHit, wovenHitSharedClient (both values)
#   redis1   Redis1Thread: the same four cases, for the allocation per operation
#            (gc.alloc.rate.norm) at 1 thread
#   async    AsyncReads: asyncHit (findAsync(1).join()) against syncHit (find(1)), same entry
#   bulk     BulkReads: bulkHit (findAll of 100 ids) against bulkFloor (RBuckets.get of the same
#            100 and a plain Kryo decode of each)
#   metrics  Redis1Thread: floor, wovenHit and wovenHitMetered (a SimpleMeterRegistry bound), for
#            the meters' cost beside the same hit without them (not in the default set)
#   near     NearHits: caffeineGetIfPresent, nearHit, wovenWithoutEngine, remoteHit (not in the
#            default set)
#   refresh  RefreshHotKey: refreshHit (ttlSeconds 2, refreshAfterSeconds 1) against expiringHit
#            (ttlSeconds 2), one hot key read for 10 s a trial, five TTLs; REFRESH-STATS lines
#            give each trial's misses after its setup (not in the default set)
#
#   benchmarks/run-issue11.sh [--no-build] [group...]     (default: every group, in that order)
#
# About 17 minutes of JMH on 2 cores, plus the build. Each group writes
# benchmarks/target/issue11/<group>.json (JMH JSON) and <group>.txt (JMH's output, the ENGINE-STATS
# lines of the woven trials included); summary.txt gets the load average before and after each
# group and the whole set, the machine, and every ENGINE-STATS line. A woven trial with errors or
# bypassed calls fails (INVALID RUN, no score recorded); the script then exits with status 1
# after running the rest.
set -euo pipefail

build=1
groups=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    redis16|redis1|async|bulk|metrics|near|refresh) groups+=("$arg") ;;
    *) echo "usage: $0 [--no-build] [redis16|redis1|async|bulk|metrics|near|refresh]..." >&2; exit 2 ;;
  esac
done
(( ${#groups[@]} )) || groups=(redis16 redis1 async bulk)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=benchmarks/target/issue11
jar=benchmarks/target/benchmarks.jar

if (( build )); then
  echo "== building the benchmarks (and the modules they use, without installing them)"
  mvn -B -q package -DskipTests -pl benchmarks -am
fi
mkdir -p "$out"

jmh_opts=(-f 3 -wi 2 -w 2s -i 3 -r 2s -prof gc -prof dev.readthrough.bench.CpuProfiler)

pattern() {
  case "$1" in
    redis16) echo 'Redis16Threads\.(floor|lettuceFloor|wovenHit|wovenHitSharedClient)$' ;;
    redis1) echo 'Redis1Thread\.(floor|lettuceFloor|wovenHit|wovenHitSharedClient)$' ;;
    async) echo 'AsyncReads\.(asyncHit|syncHit)$' ;;
    bulk) echo 'BulkReads\.(bulkHit|bulkFloor)$' ;;
    metrics) echo 'Redis1Thread\.(floor|wovenHit|wovenHitMetered)$' ;;
    near) echo 'NearHits\.(caffeineGetIfPresent|nearHit|wovenWithoutEngine|remoteHit)$' ;;
    refresh) echo 'RefreshHotKey\.(refreshHit|expiringHit)$' ;;
  esac
}

summary="$out/summary.txt"
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "jdk=$(java -version 2>&1 | sed -n 2p)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git status --porcelain 2>/dev/null | grep -q . && echo ' with uncommitted changes')"
  echo "jmh_options=${jmh_opts[*]}"
} > "$summary"

loadavg() {
  local line
  line="loadavg_$1=$(cat /proc/loadavg)"
  echo "$line"
  echo "$line" >> "$summary"
}

loadavg before
start=$(date +%s)
for group in "${groups[@]}"; do
  echo "== $group: $(pattern "$group")"
  loadavg "${group}_before"
  # raised priority where permitted (root), as run.sh does; elsewhere nice only warns
  nice -n -10 java -cp "$jar" dev.readthrough.bench.BenchmarkMain "${jmh_opts[@]}" \
    -rf json -rff "$out/$group.json" "$(pattern "$group")" 2>&1 | tee "$out/$group.txt"
  loadavg "${group}_after"
done
echo "duration_s=$(( $(date +%s) - start ))" >> "$summary"
loadavg after

logs=()
for group in "${groups[@]}"; do
  logs+=("$out/$group.txt")
done
echo >> "$summary"
grep -h '^ENGINE-STATS \|^METERS \|^INVALID RUN ' "${logs[@]}" >> "$summary" || true

# one row per case and parameter: mean ± JMH's 99.9% error, allocation and CPU per operation
python3 - "${groups[@]/#/$out/}" >> "$summary" <<'PY'
import json, sys

def num(x):
    return f"{x:,.1f}" if isinstance(x, (int, float)) else str(x)

print()
print("case | params | score ± error | gc.alloc.rate.norm B/op | cpu.time.norm")
for base in sys.argv[1:]:
    try:
        runs = json.load(open(base + ".json"))
    except (OSError, ValueError):
        print(f"{base}.json: missing")
        continue
    for r in runs:
        pm, sec = r["primaryMetric"], r.get("secondaryMetrics", {})
        alloc = sec.get("gc.alloc.rate.norm", {}).get("score")
        cpu = sec.get("cpu.time.norm", {})
        print(" | ".join([
            r["benchmark"].rsplit(".", 2)[-2] + "." + r["benchmark"].rsplit(".", 1)[-1] + f" ({r['threads']} thr)",
            ",".join(f"{k}={v}" for k, v in r.get("params", {}).items()) or "-",
            f"{num(pm['score'])} ± {num(pm['scoreError'])} {pm['scoreUnit']}",
            "n/a" if alloc is None else num(alloc),
            f"{num(cpu['score'])} {cpu['scoreUnit']}" if cpu else "n/a",
        ]))
PY

echo "== $summary"
cat "$summary"
if grep -q '^INVALID RUN \|<failure>' "${logs[@]}"; then
  echo "== some trials failed (INVALID RUN or another failure): their scores are missing" >&2
  exit 1
fi
