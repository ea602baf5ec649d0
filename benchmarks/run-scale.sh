#!/usr/bin/env bash
# Idle-connection memory: for each server, start it (pinned to SERVER_CPU), open CONNECTIONS idle WebSocket
# connections from a separate ConnectionScale process (pinned to CLIENT_CPU) and print the server's live heap
# per connection. Builds nothing: run `./mvnw -pl benchmarks -am package -DskipTests` first.
#
# Settings (environment variables, defaults in brackets):
#   CONNECTIONS [10000] (keep below 19000: 20,000 open files per process)  HOLD [0] seconds held before the
#   loss check   SERVERS ["netty wsnetty wsnetty-blocking"] (missing ones are skipped)   PORT [18080]
#   SERVER_CPU [0]  CLIENT_CPU [1]  SERVER_JAVA_OPTS / CLIENT_JAVA_OPTS  OUT [target/scale-<time>]
# G1 is named explicitly: pinned to one CPU the JVM would pick the serial collector, whose heap figures after
# System.gc() are too unsteady for a per-connection difference.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
JAR="${JAR:-$here/target/benchmarks.jar}"
CONNECTIONS="${CONNECTIONS:-10000}"
HOLD="${HOLD:-0}"
SERVERS="${SERVERS:-netty wsnetty wsnetty-blocking}"
PORT="${PORT:-18080}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
CLIENT_JAVA_OPTS="${CLIENT_JAVA_OPTS:--XX:+UseG1GC -Xmx1g -Dio.netty.leakDetection.level=disabled}"
OUT="${OUT:-$here/target/scale-$(date +%Y%m%d-%H%M%S)}"

if [[ ! -f "$JAR" ]]; then
  echo "no $JAR: build it first with ./mvnw -pl benchmarks -am package -DskipTests" >&2
  exit 2
fi
if (( $(ulimit -n) < CONNECTIONS + 100 )); then
  echo "open-file limit $(ulimit -n) is too low for $CONNECTIONS connections" >&2
  exit 2
fi
mkdir -p "$OUT"

server_class() {
  case "$1" in
    netty) echo dev.wsnetty.bench.server.NettyEchoServer ;;
    wsnetty) echo dev.wsnetty.bench.server.WsnettyEchoServer ;;
    wsnetty-blocking) echo dev.wsnetty.bench.server.WsnettyBlockingEchoServer ;;
    *) echo "unknown server '$1' (netty, wsnetty, wsnetty-blocking)" >&2; return 1 ;;
  esac
}

server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT

echo "| server | connections opened | failed | still open | live heap per connection (B) |"
echo "|---|---|---|---|---|"
for server in $SERVERS; do
  cls="$(server_class "$server")"
  if ! unzip -l "$JAR" "${cls//.//}.class" > /dev/null 2>&1; then
    echo "| $server | skipped: not in the jar | | | |"
    continue
  fi
  log="$OUT/$server.server.log"
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" java $SERVER_JAVA_OPTS -cp "$JAR" "$cls" "$PORT" "$((PORT + 1))" > "$log" 2>&1 &
  server_pid=$!
  deadline=$((SECONDS + 30))
  until grep -qs "listening" "$log"; do
    if ! kill -0 "$server_pid" 2> /dev/null || (( SECONDS >= deadline )); then
      echo "server $server did not start, see $log" >&2; exit 1
    fi
    sleep 0.2
  done
  # shellcheck disable=SC2086
  out="$(taskset -c "$CLIENT_CPU" java $CLIENT_JAVA_OPTS -cp "$JAR" dev.wsnetty.bench.load.ConnectionScale \
    --port "$PORT" --connections "$CONNECTIONS" --hold "$HOLD" 2>&1 | tee "$OUT/$server.client.log" | grep '^RESULT' || true)"
  stop_server
  if [[ -z "$out" ]]; then
    echo "| $server | no result, see $OUT/$server.client.log | | | |"
    continue
  fi
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$out"; }
  echo "| $server | $(field opened) | $(field failed) | $(field still_open) | $(field bytes_per_connection) |"
done
