#!/usr/bin/env bash
# Idle-connection memory: for each server, start it (pinned to SERVER_CPU), open CONNECTIONS idle WebSocket
# connections from a separate ConnectionScale process (pinned to CLIENT_CPU) and print the server's live heap
# per connection and its platform threads. Builds nothing: run `./mvnw -pl benchmarks -am package -DskipTests`
# first.
#
# Settings (environment variables, defaults in brackets):
#   CONNECTIONS [10000] (each process needs about CONNECTIONS + 100 open files)  HOLD [0] seconds held before
#   the loss check   SERVERS ["netty wsnetty wsnetty-blocking"] (missing ones are skipped)   PORT [18080]
#   PER_ADDRESS [10000] client connections per loopback source address (127.0.0.2, .3, ... above it)
#   WARMUP [200] connections opened, echoing one message each, and closed before the baseline; 10000 also gets
#   the per-connection code compiled (what a parked virtual thread's stack takes depends on it). On Java 17 the
#   blocking server keeps up to WARMUP idle pooled threads in its baseline: keep the default there.
#   WARMUP_SECONDS [0] before that, seconds of echo traffic (LoadGenerator, 50 connections, one message in
#   flight each) so that the message path is compiled as in a server that has been serving for a while
#   SCALE_OPTS [] more ConnectionScale options, e.g. "--deflate --remeasure-after 40" (permessage-deflate offered,
#   every connection exchanges a 1 KiB JSON message first; a second measurement 40 s later, after an idle release)
#   Servers with +lean, +context, +deflate: permessage-deflate on (bench-servers.sh). The resident set (VmRSS,
#   which sees zlib's malloc) and, with -XX:NativeMemoryTracking=summary in SERVER_JAVA_OPTS, the NMT committed
#   total are reported per connection too.
#   SERVER_JAVA [java] the servers' JVM, e.g. a JDK 25 for virtual threads (the client runs on `java`)
#   SERVER_CPU [0]  CLIENT_CPU [1]  SERVER_JAVA_OPTS / CLIENT_JAVA_OPTS  OUT [target/scale-<time>]
#   HISTOGRAM [0] 1: the server also writes its live-object class histogram before and with the connections
#   ($OUT/<server>.histogram-1.txt and -2.txt) and the script prints the biggest differences per connection
# G1 is named explicitly: pinned to one CPU the JVM would pick the serial collector, whose heap figures after
# System.gc() are too unsteady for a per-connection difference.
#
# The blocking server on a JVM without virtual threads (before Java 21) runs one pooled platform thread per
# connection; the script first checks that the system can start CONNECTIONS more threads (pid_max,
# threads-max, ulimit -u, two memory mappings per thread against vm.max_map_count) and, if not, skips it
# and says which limit stops it.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
JAR="${JAR:-$here/target/benchmarks.jar}"
CONNECTIONS="${CONNECTIONS:-10000}"
HOLD="${HOLD:-0}"
WARMUP="${WARMUP:-200}"
WARMUP_SECONDS="${WARMUP_SECONDS:-0}"
SERVERS="${SERVERS:-netty wsnetty wsnetty-blocking}"
PORT="${PORT:-18080}"
PER_ADDRESS="${PER_ADDRESS:-10000}"
SERVER_JAVA="${SERVER_JAVA:-java}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
CLIENT_JAVA_OPTS="${CLIENT_JAVA_OPTS:--XX:+UseG1GC -Xmx1g -Dio.netty.leakDetection.level=disabled}"
OUT="${OUT:-$here/target/scale-$(date +%Y%m%d-%H%M%S)}"
HISTOGRAM="${HISTOGRAM:-0}"
SCALE_OPTS="${SCALE_OPTS:-}"

# shellcheck source=bench-servers.sh
source "$here/bench-servers.sh"
require_jar
if (( $(ulimit -n) < CONNECTIONS + 100 )); then
  echo "open-file limit $(ulimit -n) is too low for $CONNECTIONS connections" >&2
  exit 2
fi
mkdir -p "$OUT"

# The feature release of a JVM: 17, 21, 25...
java_feature() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

# Empty if the system can start $1 more threads, else the limit that stops it.
thread_shortage() {
  local need=$1 running limit
  running="$(cat /proc/[0-9]*/status 2> /dev/null | awk '/^Threads:/ { n += $2 } END { print n + 0 }')"
  limit="$(cat /proc/sys/kernel/pid_max)" # every thread takes a pid
  if (( running + need > limit )); then
    echo "kernel.pid_max $limit with $running threads already running"; return
  fi
  limit="$(cat /proc/sys/kernel/threads-max)"
  if (( running + need > limit )); then
    echo "kernel.threads-max $limit with $running threads already running"; return
  fi
  limit="$(ulimit -u)" # not enforced for root
  if [[ "$limit" != unlimited && "$(id -u)" != 0 ]] && (( running + need > limit )); then
    echo "ulimit -u $limit with up to $running threads of this user already running"; return
  fi
  # A Java thread's stack takes two mappings (guard zone and stack); the JVM itself a few thousand.
  limit="$(cat /proc/sys/vm/max_map_count)"
  if (( 2 * need + 5000 > limit )); then
    echo "vm.max_map_count $limit: a Java thread takes two mappings"
  fi
}

feature="$(java_feature "$SERVER_JAVA")"
if [[ -z "$feature" ]]; then
  echo "SERVER_JAVA=$SERVER_JAVA does not run" >&2
  exit 2
fi
echo "servers on Java $feature ($SERVER_JAVA), $CONNECTIONS connections after $WARMUP_SECONDS s of echo traffic" \
  "and $WARMUP warm-up connections, output in $OUT"
echo
echo "| server | connections opened | failed | still open | live heap per connection (B) | server platform threads |" \
  "RSS per connection (B) | NMT committed per connection (B) | later: heap / RSS / NMT per connection (B) |"
echo "|---|---|---|---|---|---|---|---|---|"
for server in $SERVERS; do
  if ! server_in_jar "$server"; then
    echo "| $server | skipped: not in the jar | | | | |"
    continue
  fi
  if [[ "$server" == wsnetty-blocking ]] && (( feature < 21 )); then
    shortage="$(thread_shortage "$CONNECTIONS")"
    if [[ -n "$shortage" ]]; then
      echo "| $server | skipped: needs $CONNECTIONS platform threads on Java $feature; limit: $shortage | | | | |"
      continue
    fi
  fi
  log="$OUT/$server.server.log"
  histogram_opt=""
  if [[ "$HISTOGRAM" == 1 ]]; then
    histogram_opt="-Dwsnetty.bench.histogram=$OUT/$server.histogram"
  fi
  SERVER_EXTRA_OPTS="$histogram_opt" start_server "$server" "$log" || exit 1
  if [[ "$WARMUP_SECONDS" != 0 ]]; then
    # shellcheck disable=SC2086
    taskset -c "$CLIENT_CPU" java $CLIENT_JAVA_OPTS -cp "$JAR" dev.wsnetty.bench.load.LoadGenerator --port "$PORT" \
      --connections 50 --inflight 1 --duration "$WARMUP_SECONDS" --warmup 0 > "$OUT/$server.warmup.log" 2>&1
  fi
  # shellcheck disable=SC2086
  out="$(taskset -c "$CLIENT_CPU" java $CLIENT_JAVA_OPTS -cp "$JAR" dev.wsnetty.bench.load.ConnectionScale \
    --port "$PORT" --connections "$CONNECTIONS" --per-address "$PER_ADDRESS" --hold "$HOLD" --warmup "$WARMUP" \
    $SCALE_OPTS 2>&1 \
    | tee "$OUT/$server.client.log" | grep '^RESULT' || true)"
  stop_server
  if grep -qs "unable to create native thread" "$log"; then
    echo "| $server | thread creation failed (OutOfMemoryError: unable to create native thread), see $log | | | | |"
    continue
  fi
  if [[ -z "$out" ]]; then
    echo "| $server | no result, see $OUT/$server.client.log | | | | |"
    continue
  fi
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$out"; }
  later="$(field later_heap_per_connection)"
  [[ -n "$later" ]] && later="$later / $(field later_rss_per_connection) / $(field later_nmt_per_connection)"
  echo "| $server | $(field opened) | $(field failed) | $(field still_open) | $(field bytes_per_connection)" \
    "| $(field server_threads) | $(field rss_per_connection) | $(field nmt_per_connection) | $later |"
  if [[ "$HISTOGRAM" == 1 ]]; then
    "$here/histogram-diff.sh" "$OUT/$server.histogram-1.txt" "$OUT/$server.histogram-2.txt" "$(field opened)" \
      > "$OUT/$server.histogram-diff.txt"
  fi
done
if [[ "$HISTOGRAM" == 1 ]]; then
  for server in $SERVERS; do
    if [[ -f "$OUT/$server.histogram-diff.txt" ]]; then
      echo
      echo "$server: live objects per connection, biggest first ($OUT/$server.histogram-diff.txt)"
      head -n 25 "$OUT/$server.histogram-diff.txt"
    fi
  done
fi
