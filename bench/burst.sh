#!/usr/bin/env bash
# Burst load: 500 jobs as fast as 32 clients can send them, against an API and a worker process started from
# target/panel-one.jar, a real redis-server and the storage/Gemini emulators (no latency). Writes BURST.md.
# Not part of the test suite (it takes minutes). Usage: bench/burst.sh [jobs] [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${1:-500}"
CLIENTS="${2:-32}"

mvn -q -DskipTests package
# The jar (with target/lib/ on its manifest's class path) holds the application and the emulators; the load driver
# is a test class beside it.
REPORT="$(java -cp target/panel-one.jar:target/test-classes load.BurstLoad "$JOBS" "$CLIENTS" target/panel-one.jar)" || STATUS=$?
STATUS="${STATUS:-0}"

{
  echo "# Burst load"
  echo
  echo "Run by \`bench/burst.sh $JOBS $CLIENTS\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores,"
  echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB RAM,"
  echo "$(java -version 2>&1 | head -1). API and worker are separate JVMs (defaults: 100 jobs at a time in the worker);"
  echo "redis-server, the storage emulator and the Gemini emulator (latency 0, 320 px panels) run beside them"
  echo "on the same machine, as does the load driver."
  echo
  echo "$REPORT" | grep '^|' || true
  echo
  echo "$REPORT" | grep '^RESULT' || echo "RESULT: FAIL (driver exited $STATUS)"
} > BURST.md
cat BURST.md
exit "$STATUS"
