#!/usr/bin/env bash
# Profiles one echo server while the load generator runs one workload, pinned as in run-echo.sh (server on
# SERVER_CPU, load generator on CLIENT_CPU). Inside the measurement window, for PROFILE_SECONDS: JFR's samples of
# the server (the recording runs from start-up, since starting one later compiles JFR's own code inside the window;
# only the window's events are counted), `perf record -g` on the server process (kernel, JVM and, through the JVM's
# perf map, JIT-compiled Java symbols) and `perf stat` for its context switches. Prints the load generator's
# result, how busy each core was, the JFR summary (JfrTopFrames) and perf's shares by thread, by shared object and
# by symbol. Builds nothing.
#
# Settings: SERVER [wsnetty-blocking] (a server of bench-servers.sh, +io_uring allowed)  CONNECTIONS [100]
#   SIZE [20]  INFLIGHT [32]  MESSAGE [--binary]  WARMUP [6]  DURATION [10]  PROFILE_SECONDS [6]  PORT [18080]
#   SERVER_CPU [0]  CLIENT_CPU [1]  SERVER_JAVA [java]  SERVER_JAVA_OPTS / CLIENT_JAVA_OPTS (as run-echo.sh)
#   SERVER_EXTRA_OPTS (more server JVM options, e.g. "--add-opens java.base/java.lang=ALL-UNNAMED
#   -Dwsnetty.bench.handlersOnEventLoop=true")  ROWS [15] rows per table  OUT [target/echo-profile-<time>]
# Afterwards: jfr print --events jdk.ExecutionSample OUT/server.jfr; perf report -i OUT/perf.data --no-children
# (the JIT symbols need OUT/perf-<pid>.map copied to /tmp).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
JAR="${JAR:-$here/target/benchmarks.jar}"
SERVER="${SERVER:-wsnetty-blocking}"
CONNECTIONS="${CONNECTIONS:-100}"
SIZE="${SIZE:-20}"
INFLIGHT="${INFLIGHT:-32}"
MESSAGE="${MESSAGE:---binary}"
WARMUP="${WARMUP:-6}"
DURATION="${DURATION:-10}"
PROFILE_SECONDS="${PROFILE_SECONDS:-6}"
PORT="${PORT:-18080}"
SERVER_JAVA="${SERVER_JAVA:-java}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
CLIENT_JAVA_OPTS="${CLIENT_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
ROWS="${ROWS:-15}"
OUT="${OUT:-$here/target/echo-profile-$(date +%Y%m%d-%H%M%S)}"
if (( PROFILE_SECONDS + 1 > DURATION )); then
  echo "PROFILE_SECONDS ($PROFILE_SECONDS) must end inside the measured DURATION ($DURATION)" >&2
  exit 2
fi

# shellcheck source=bench-servers.sh
source "$here/bench-servers.sh"
require_jar
mkdir -p "$OUT"
jcmd="$(dirname "$(readlink -f "$(command -v "$SERVER_JAVA")")")/jcmd"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

SERVER_EXTRA_OPTS="${SERVER_EXTRA_OPTS:-} -XX:StartFlightRecording=name=echo,settings=profile"
start_server "$SERVER" "$OUT/server.log"
# shellcheck disable=SC2086
taskset -c "$CLIENT_CPU" /usr/bin/time -f 'CPU %P' java $CLIENT_JAVA_OPTS -cp "$JAR" \
  dev.wsnetty.bench.load.LoadGenerator --port "$PORT" --connections "$CONNECTIONS" --size "$SIZE" \
  --inflight "$INFLIGHT" --duration "$DURATION" --warmup "$WARMUP" $MESSAGE > "$OUT/client.log" 2>&1 &
client_pid=$!
until grep -qs '^measuring' "$OUT/client.log"; do
  kill -0 "$client_pid" 2> /dev/null || { echo "load generator ended early, see $OUT/client.log" >&2; exit 1; }
  sleep 0.05
done
sleep 1 # past the first second of the window
server_ticks=$(cpu_ticks "$server_pid")
started=$(date +%s.%N)
window_start=$(date +%s%3N)
perf stat -e context-switches,cpu-migrations -p "$server_pid" -o "$OUT/perf-stat.txt" -- sleep "$PROFILE_SECONDS" &
perf record -F 499 -g -p "$server_pid" -o "$OUT/perf.data" -- sleep "$PROFILE_SECONDS" > "$OUT/perf.log" 2>&1
wait %?perf\ stat 2> /dev/null || true
window_end=$(date +%s%3N)
server_busy=$(awk -v used="$(( $(cpu_ticks "$server_pid") - server_ticks ))" -v t0="$started" \
  -v t1="$(date +%s.%N)" 'BEGIN { printf "%.0f", used / (t1 - t0) }')
"$jcmd" "$server_pid" JFR.stop name=echo filename="$OUT/server.jfr" > "$OUT/jcmd.log" 2>&1
# The JIT's code addresses as symbols for perf report; written while the server still runs.
"$jcmd" "$server_pid" Compiler.perfmap >> "$OUT/jcmd.log" 2>&1 || true
perf_map="/tmp/perf-$server_pid.map"
wait "$client_pid" || true
stop_server

echo "== $SERVER, $CONNECTIONS connections x $SIZE B x $INFLIGHT in flight ($("$SERVER_JAVA" -version 2>&1 | head -1))"
grep -h '^RESULT' "$OUT/client.log" || echo "no result, see $OUT/client.log"
echo "server core busy in the profiled window: ${server_busy}%; load generator's core over its run:" \
  "$(sed -n 's/^CPU \([0-9]*\)%$/\1/p' "$OUT/client.log")%"
grep -E 'context-switches|cpu-migrations' "$OUT/perf-stat.txt" | sed 's/^ */perf stat: /'
echo
java -cp "$JAR" dev.wsnetty.bench.profile.JfrTopFrames "$OUT/server.jfr" "$ROWS" "$window_start" "$window_end"
for sort in comm dso sym; do
  echo
  echo "perf, server process, self time by $sort:"
  perf report -i "$OUT/perf.data" --no-children --sort "$sort" -g none --stdio --percent-limit 1 2> /dev/null \
    | grep -v '^#' | grep -v '^$' | head -n "$ROWS"
done
# perf report has read the map from /tmp; keep it with the profile instead.
mv "$perf_map" "$OUT/" 2> /dev/null || true
echo "profiles in $OUT (server.jfr, perf.data, perf-<pid>.map)"
