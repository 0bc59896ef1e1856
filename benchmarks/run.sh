#!/usr/bin/env bash
# Builds the benchmarks, runs them against one redis-server started for the run (or REDIS_URL),
# and writes the results table and chart into docs/performance.md and docs/performance-<mode>.svg.
#
#   benchmarks/run.sh [quick|full] [--install] [-- more JMH options, e.g. a benchmark regexp]
#
# quick: 1 fork, 2 warmup + 3 measurement iterations (the annotations' defaults), the codec
#        comparison without plain Kryo; about 5 minutes on 2 cores, build included.
# full:  2 forks, 3 x 2 s warmup + 5 x 2 s measurement, every parameter; about 35 minutes.
# A woven trial with errors or bypassed calls fails (INVALID RUN) and its row reads "invalid run".
# run-issue11.sh runs the smaller set of issue 11 with 3 forks.
# --install runs `mvn -B -q install -DskipTests` at the root first (done anyway when the
#        Readthrough runtime is not in the local Maven repository yet).
set -euo pipefail

mode="${1:-quick}"
shift || true
install=0
extra=()
while (( $# )); do
  case "$1" in
    --install) install=1 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

case "$mode" in
  quick) jmh_opts=(-p format=readthrough,jdk,jackson) ;;
  full) jmh_opts=(-f 2 -wi 3 -w 2s -i 5 -r 2s) ;;
  *) echo "usage: $0 [quick|full] [--install]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target=benchmarks/target

if (( install )) || [[ ! -d "$HOME/.m2/repository/dev/readthrough/readthrough-runtime" ]]; then
  echo "== installing the Readthrough modules"
  mvn -B -q install -DskipTests
fi
echo "== building the benchmarks"
mvn -B -q -f benchmarks/pom.xml package -DskipTests
jar="$target/benchmarks.jar"

opens="$(java -cp "$jar" dev.readthrough.bench.RuntimeOpens)"
machine="$target/machine-$mode.txt"
jmh_cmd=(java -cp "$jar" dev.readthrough.bench.BenchmarkMain "${jmh_opts[@]}" ${extra[@]+"${extra[@]}"}
  -prof gc -prof dev.readthrough.bench.CpuProfiler
  -rf json -rff "$target/jmh-$mode.json")
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc=$(nproc)"
  echo "memory=$(free -h | awk '/^Mem:/ {print $2}')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel=$(uname -sr)"
  echo "jdk=$(java -version 2>&1 | sed -n 2p)"
  runtime_jar="$HOME/.m2/repository/dev/readthrough/readthrough-runtime/0.1.0-SNAPSHOT/readthrough-runtime-0.1.0-SNAPSHOT.jar"
  echo "runtime=readthrough-runtime 0.1.0-SNAPSHOT installed $(date -u -r "$runtime_jar" '+%Y-%m-%d %H:%M UTC'), work tree $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git status --porcelain -- runtime weaver annotations 2>/dev/null | grep -q . && echo ' with uncommitted changes')"
  echo "load_before=$(uptime | sed 's/.*load average: //')"
  echo "priority=nice -n -10 ($(id -un))"
  echo "command=benchmarks/run.sh $mode${extra[*]+ -- ${extra[*]}}"
  echo "jmh_command=${jmh_cmd[*]}"
  echo "add_opens=$opens"
} > "$machine"

echo "== running JMH ($mode)"
start=$(date +%s)
# raised priority where permitted (root), so that other work on the machine disturbs the run less;
# elsewhere nice only warns and the run goes on at normal priority
nice -n -10 "${jmh_cmd[@]}" 2>&1 | tee "$target/jmh-$mode.log"
echo "duration_s=$(( $(date +%s) - start ))" >> "$machine"
echo "load_after=$(uptime | sed 's/.*load average: //')" >> "$machine"

# shellcheck disable=SC2086 # $opens is a list of flags
java $opens -cp "$jar" dev.readthrough.bench.EncodedSizes > "$target/sizes-$mode.json" \
  || echo "{}" > "$target/sizes-$mode.json"

if (( ${#extra[@]} )); then
  # a selection of benchmarks would replace the documented tables with a partial run
  echo "== partial run (extra JMH options given): docs/performance.md left as it is"
else
  python3 benchmarks/chart.py --mode "$mode" --target "$target" --docs docs
  echo "== wrote docs/performance.md and docs/performance-$mode.svg"
fi
