#!/usr/bin/env bash
# Panel One benchmark: starts a real Redis, the Gemini and storage emulators and the API and worker processes,
# drives them through HTTP and WebSocket only, and writes BENCHMARKS.md + bench/results.json.
#
#   bench/run.sh            full run (3 runs a figure; about 12 minutes on 2 busy shared cores)
#   bench/run.sh --smoke    a few jobs, 1 run, well under a minute; writes target/bench/results-smoke.json only
#
# Environment: BENCH_JAVA (JDK for the services, default Temurin 25), BENCH_JAVA17, BENCH_API_OPTS,
# BENCH_WORKER_OPTS (JVM options), BENCH_JFR=1 (a flight recording per service under target/bench/*/jfr/).
# Exits non-zero only when the benchmark itself breaks (a process does not start, a job does not complete).
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/panel-one.jar
# Build only when a source is newer than the jar (package also compiles the benchmark under src/test/java/bench).
if [[ ! -f $jar || ! -f target/test-classes/bench/Bench.class ]] \
    || [[ -n $(find src pom.xml -newer "$jar" -print -quit) ]]; then
  echo "bench: building $jar"
  mvn -q -DskipTests package
fi
classpath_file=target/bench/classpath.txt
mkdir -p target/bench
if [[ ! -s $classpath_file || pom.xml -nt $classpath_file ]]; then
  mvn -q dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
fi

driver_java=${BENCH_DRIVER_JAVA:-${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}}
export BENCH_CLK_TCK=$(getconf CLK_TCK)

# The driver gets its own process group, so everything it starts can be stopped together whatever happens.
setsid "$driver_java" -Xmx1g -Djava.awt.headless=true \
  -cp "target/test-classes:target/classes:$(cat "$classpath_file")" bench.Bench "$@" &
driver=$!
cleanup() {
  trap - EXIT INT TERM
  if kill -0 "$driver" 2>/dev/null; then
    kill -TERM "$driver" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$driver" 2>/dev/null || break; sleep 1; done
  fi
  # Anything the driver started and left behind (it stops them itself on a normal exit).
  kill -KILL -- -"$driver" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait "$driver"
