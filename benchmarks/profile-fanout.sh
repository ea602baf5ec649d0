#!/usr/bin/env bash
# Profiles one fan-out server while the load generator runs one scenario (pinned as in run-fanout.sh): JFR on the
# server (Java samples) and `perf record -g` on the server process for PERF_SECONDS inside the measurement window
# (kernel and JVM symbols; JIT frames stay unnamed). Builds nothing.
#
# Settings: SERVER [wsnetty-fanout] (a Java fan-out server of bench-servers.sh)  SUBSCRIBERS [10000]  SIZE [20]
#   WINDOW [32]  WARMUP [3]  DURATION [6]  PERF_SECONDS [5]  PORT [18380]  SERVER_CPU [0]  CLIENT_CPU [1]
#   OUT [target/fanout-profile-<time>]; then: perf report -i OUT/perf.data --no-children --sort dso,sym -g none
#   and: jfr print --events jdk.ExecutionSample OUT/server.jfr
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
JAR="${JAR:-$here/target/benchmarks.jar}"
SERVER="${SERVER:-wsnetty-fanout}"
SUBSCRIBERS="${SUBSCRIBERS:-10000}"
SIZE="${SIZE:-20}"
WINDOW="${WINDOW:-32}"
WARMUP="${WARMUP:-3}"
DURATION="${DURATION:-6}"
PERF_SECONDS="${PERF_SECONDS:-5}"
PORT="${PORT:-18380}"
SERVER_JAVA="${SERVER_JAVA:-java}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
CLIENT_JAVA_OPTS="${CLIENT_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
OUT="${OUT:-$here/target/fanout-profile-$(date +%Y%m%d-%H%M%S)}"

# shellcheck source=bench-servers.sh
source "$here/bench-servers.sh"
require_jar
mkdir -p "$OUT"
SERVER_EXTRA_OPTS="-XX:StartFlightRecording=settings=profile,filename=$OUT/server.jfr"
start_server "$SERVER" "$OUT/server.log" --warmup "$WARMUP"
# shellcheck disable=SC2086
taskset -c "$CLIENT_CPU" java $CLIENT_JAVA_OPTS -cp "$JAR" dev.wsnetty.bench.load.LoadGenerator --fanout \
  --port "$PORT" --connections "$SUBSCRIBERS" --size "$SIZE" --inflight "$WINDOW" --sources 4 \
  --duration "$DURATION" --warmup "$WARMUP" > "$OUT/client.log" 2>&1 &
client_pid=$!
until grep -qs '^measuring' "$OUT/client.log"; do
  kill -0 "$client_pid" 2> /dev/null || { echo "load generator ended early, see $OUT/client.log" >&2; exit 1; }
  sleep 0.05
done
perf record -F 499 -g -p "$server_pid" -o "$OUT/perf.data" -- sleep "$PERF_SECONDS" > "$OUT/perf.log" 2>&1
wait "$client_pid" || true
grep -h -E '^RESULT|^PUBLISH_COST' "$OUT/client.log" "$OUT/server.log" || true
stop_server
echo "profiles in $OUT (perf.data, server.jfr)"
