# Sourced by run-echo.sh, run-scale.sh and run-fanout.sh: the echo and fan-out servers, started one at a time from
# the benchmarks jar (node-ws-fanout: from src/main/node with node and the `ws` package in NODE_MODULES).
# Expects JAR, PORT, SERVER_CPU, SERVER_JAVA and SERVER_JAVA_OPTS to be set; SERVER_EXTRA_OPTS (JVM options for
# one start) may be. Stops the running server when the sourcing script exits.

# Exits with a hint when the benchmarks jar has not been built.
require_jar() {
  if [[ ! -f "$JAR" ]]; then
    echo "no $JAR: build it first with ./mvnw -pl benchmarks -am package -DskipTests" >&2
    exit 2
  fi
}

# The main class of server $1. A name ending in "+io_uring" (e.g. wsnetty+io_uring) is the same server on the io_uring
# transport (-Dwsnetty.io=io_uring, which the servers' Transports and WebSocketServer follow), so that epoll and
# io_uring alternate in one run. Likewise permessage-deflate (BenchCompression): wsnetty+lean and wsnetty+context
# (our LEAN and CONTEXT_TAKEOVER modes), netty+deflate (Netty's WebSocketServerCompressionHandler).
server_class() {
  case "${1%%+*}" in
    netty) echo dev.wsnetty.bench.server.NettyEchoServer ;;
    wsnetty) echo dev.wsnetty.bench.server.WsnettyEchoServer ;;
    wsnetty-blocking) echo dev.wsnetty.bench.server.WsnettyBlockingEchoServer ;;
    wsnetty-metrics) echo dev.wsnetty.bench.server.WsnettyCountingEchoServer ;;
    netty-fanout) echo dev.wsnetty.bench.fanout.NettyFanoutServer ;;
    wsnetty-fanout) echo dev.wsnetty.bench.fanout.WsnettyFanoutServer ;;
    wsnetty-cluster-fanout) echo dev.wsnetty.bench.fanout.WsnettyClusterFanoutServer ;;
    node-ws-fanout) echo "$(dirname "$JAR")/../src/main/node/fanout-server.js" ;;
    *) echo "unknown server '$1' (netty, wsnetty, wsnetty-blocking, wsnetty-metrics, netty-fanout, wsnetty-fanout," \
         "wsnetty-cluster-fanout, each optionally" \
         "+io_uring; node-ws-fanout)" >&2; return 1 ;;
  esac
}

# Whether server $1's class is in the jar (a branch may not have all three).
server_in_jar() {
  local cls
  cls="$(server_class "$1")" || return 1
  unzip -l "$JAR" "${cls//.//}.class" > /dev/null 2>&1
}

# Whether server $1 can be started: its class is in the jar, or (node servers) node and the ws package are there.
server_available() {
  if [[ "$1" == node-* ]]; then
    command -v node > /dev/null && [[ -d "${NODE_MODULES:-}/ws" ]]
  else
    server_in_jar "$1"
  fi
}

server_pid=""

# Starts server $1 pinned to SERVER_CPU, logging to $2, on PORT with control port PORT+1 and any further
# arguments; waits (30 s at most) for its "listening" line. Returns 1, saying why, if it does not get there.
start_server() {
  local name="$1" log="$2" transport="" compression=""
  shift 2
  [[ "$name" == *+io_uring* ]] && transport="-Dwsnetty.io=io_uring"
  case "$name" in
    *+lean*) compression="-Dwsnetty.bench.compression=lean" ;;
    *+context*) compression="-Dwsnetty.bench.compression=context_takeover" ;;
    *+deflate*) compression="-Dwsnetty.bench.compression=deflate" ;;
  esac
  if [[ "$name" == node-* ]]; then
    NODE_PATH="$NODE_MODULES" taskset -c "$SERVER_CPU" node "$(server_class "$name")" "$PORT" "$((PORT + 1))" "$@" \
      > "$log" 2>&1 &
  else
    # shellcheck disable=SC2086
    taskset -c "$SERVER_CPU" "$SERVER_JAVA" $SERVER_JAVA_OPTS ${SERVER_EXTRA_OPTS:-} $transport $compression -cp "$JAR" \
      "$(server_class "$name")" "$PORT" "$((PORT + 1))" "$@" > "$log" 2>&1 &
  fi
  server_pid=$!
  local deadline=$((SECONDS + 30))
  until grep -qs "listening" "$log"; do
    if ! kill -0 "$server_pid" 2> /dev/null; then
      echo "server $name exited during start-up:" >&2; cat "$log" >&2; server_pid=""; return 1
    fi
    if (( SECONDS >= deadline )); then
      echo "server $name did not start within 30 s, see $log" >&2; return 1
    fi
    sleep 0.2
  done
}

stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT
