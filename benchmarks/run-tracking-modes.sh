#!/usr/bin/env bash
# Measures Redis's client-side-caching tracking modes for the near cache: default tracking (with
# Redis's default tracking table and with a small one), BCAST PREFIX rt:users: and BCAST without a
# prefix, each with 20 simulated engines on one Redis (TrackingModes; docs/near-cache-tracking.md
# says what it measures).
#
#   benchmarks/run-tracking-modes.sh [--no-build] [name=value...]
#
# name=value pairs override the workload (engines, reads, keys, skew, writeEvery, writeKeys,
# smallTable, seed); see TrackingModes.Settings. The program starts a redis-server of its own and
# stops it at the end, or uses REDIS_URL (loopback only; it overwrites and deletes its rt:users:*,
# rt:other:* and rt:probe:* keys there). About a minute on 2 cores, plus the build; the program
# stops itself after 170 s whatever happens. Output: benchmarks/target/tracking-modes.txt, with
# the machine and load average before and after.
set -euo pipefail

build=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *=*) args+=("$arg") ;;
    *) echo "usage: $0 [--no-build] [name=value...]" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=benchmarks/target/benchmarks.jar
out=benchmarks/target/tracking-modes.txt

if (( build )); then
  echo "== building the benchmarks (and the modules they use, without installing them)"
  mvn -B -q package -DskipTests -pl benchmarks -am
fi

{
  echo "# date=$(date -u '+%Y-%m-%d %H:%M UTC') nproc=$(nproc) cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "# jdk=$(java -version 2>&1 | sed -n 2p)"
  echo "# commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git status --porcelain 2>/dev/null | grep -q . && echo ' with uncommitted changes')"
  echo "# loadavg_before=$(cat /proc/loadavg)"
} | tee "$out"
java -cp "$jar" dev.readthrough.bench.TrackingModes "${args[@]}" 2>&1 | tee -a "$out"
echo "# loadavg_after=$(cat /proc/loadavg)" | tee -a "$out"
