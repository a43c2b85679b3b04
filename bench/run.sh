#!/usr/bin/env bash
# Panel One benchmark: starts a real Redis, the Gemini and storage emulators and the API and worker processes,
# drives them through HTTP and WebSocket only, and writes BENCHMARKS.md + bench/results.json. The full run also
# starts the peer (the FastAPI + Celery design, ../shared/peer beside the repository) on the same emulators with a
# Redis of its own, measures it with the same driver in the same run, and writes each figure as us, peer, ratio.
#
#   bench/run.sh               full run with the peer (3 runs a figure; about 25 minutes on 2 busy shared cores)
#   bench/run.sh --no-peer     full run, Panel One only
#   bench/run.sh --smoke       a few jobs, 1 run, no peer; writes target/bench/results-smoke.json only (CI)
#   bench/run.sh --smoke --with-peer   the same with the peer, to check the comparison itself
#   bench/run.sh --only P1,P4  some parts only, nothing published (target/bench/results-partial.json)
#
# Environment: BENCH_JAVA (JDK for the services, default Temurin 25), BENCH_JAVA17, BENCH_API_OPTS,
# BENCH_WORKER_OPTS (JVM options), BENCH_JFR=1 (a flight recording per service under target/bench/*/jfr/),
# BENCH_PEER_DIR (default: ../shared/peer from the repository's root), BENCH_JAR (run the API and worker from another
# build's jar, e.g. a copy of main's, for an A/B of a change; copy target/panel-one.jar with its lib/ folder beside
# it, or use that build's target/panel-one-standalone.jar; the emulators always run from this build's jar),
# BENCH_IMAGE_JAR (the jar the images' launch extracts for P1c and P4; default target/panel-one-service.jar, or
# BENCH_JAR when that is set), BENCH_AOT_TRAINING (start: the Dockerfiles' training, aot.AotTraining --jobs 0, the
# default; jobs: the same after 24 real jobs; health: the training before it, for jars built before aot.AotTraining),
# BENCH_LAUNCH_ROLES (the roles B5/P4 launches, default api,worker; api alone halves an A/B of P4 and P4j),
# BENCH_LAUNCH_CONFIGS (default jdk25-jar,jdk17-jar,jdk25-extracted,jdk25-aot; jdk17-jar alone is P4j, no training),
# BENCH_AOT_REUSE=1 (keep the extracted image jar and its trained AOT caches under target/bench/aot-reuse/, keyed by
# the jars, JDK, JVM options and training mode, and reuse them in later runs with the same inputs: A/B runs of P1c/P4),
# BENCH_P1_WARMUP (P1's warm-up jobs, default 300), BENCH_B6_WARMUP (B6's warm-up events, default 100),
# BENCH_GEMINI_GZIP=1 (the Gemini emulator gzips its answers for clients that accept it; off by default).
# Exits non-zero only when the benchmark itself breaks (a process does not start, a job does not complete).
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/panel-one.jar
# Build only when a source is newer than the jar (package also compiles the benchmark under src/test/java/bench).
if [[ ! -f $jar || ! -d target/lib || ! -f target/panel-one-service.jar || ! -f target/test-classes/bench/Bench.class ]] \
    || [[ -n $(find src pom.xml -newer "$jar" -print -quit) ]]; then
  echo "bench: building $jar"
  mvn -q -DskipTests package
fi
classpath_file=target/bench/classpath.txt
mkdir -p target/bench
if [[ ! -s $classpath_file || pom.xml -nt $classpath_file ]]; then
  mvn -q dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
fi

# The peer runs on Debian's Python packages; install them when missing (not for the smoke run, which skips the peer).
peer_modules='import fastapi, uvicorn, celery, redis, multipart, PIL, requests, websockets, httptools, uvloop'
find_peer_python() {
  local cand
  for cand in ${PYTHON:-} python3 /usr/bin/python3; do
    if "$cand" -c "$peer_modules" 2>/dev/null; then echo "$cand"; return 0; fi
  done
  return 1
}
if [[ ( " $* " != *" --smoke "* || " $* " == *" --with-peer "* ) && " $* " != *" --no-peer "* ]]; then
  export BENCH_PEER_DIR=${BENCH_PEER_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/shared/peer}
  if [[ -f $BENCH_PEER_DIR/start.sh ]]; then
    if ! BENCH_PEER_PYTHON=$(find_peer_python); then
      echo "bench: installing the peer's Debian packages"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends python3-fastapi python3-uvicorn python3-celery python3-redis \
        python3-multipart python3-pil python3-requests python3-websockets python3-httptools python3-uvloop \
        redis-server >/dev/null
      BENCH_PEER_PYTHON=$(find_peer_python) || { echo "bench: the peer's Python packages did not install" >&2; exit 1; }
    fi
    export BENCH_PEER_PYTHON
  fi
fi

driver_java=${BENCH_DRIVER_JAVA:-${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}}
BENCH_CLK_TCK=$(getconf CLK_TCK)
export BENCH_CLK_TCK

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
