#!/usr/bin/env bash
# Fan-out benchmark (issue 16): one publisher, many subscribers, each server pinned to one core and the load
# generator to the other, servers alternated (A B C A B C ...) for ROUNDS rounds; then medians of the delivered
# messages/s (all subscribers together, every byte and every subscriber's order checked), ratios to Netty's
# ChannelGroup, publish-to-delivery latency and the time of one publish call, as a markdown table. Builds nothing:
# run `./mvnw -pl benchmarks -am package -DskipTests` first (from the repository root). node-ws-fanout needs node;
# the script installs the npm package `ws` (WS_VERSION) into target/node once.
#
# Settings (environment variables, defaults in brackets):
#   ROUNDS [2]  DURATION [5] seconds measured  WARMUP [3] seconds of publishing before measuring
#   SERVERS ["netty-fanout wsnetty-fanout node-ws-fanout"]  servers missing from the jar (or node) are skipped
#   SCENARIOS ["100:20 100:1024 1000:20 1000:1024 10000:20 10000:1024"]  subscribers:payload bytes (>= 16)
#   WINDOW [32] messages published but not yet delivered to every subscriber, at most
#   SOURCES [4] loopback source addresses of the subscribers (127.0.0.1 .. 127.0.0.N)
#   PORT [18080]  SERVER_CPU [0]  CLIENT_CPU [1]  SERVER_JAVA [java]  SERVER_JAVA_OPTS / CLIENT_JAVA_OPTS
#   wsnetty-cluster-fanout (not in the default SERVERS): three wsnetty nodes in one JVM bridged through a
#               redis-server (Debian's package) that the script starts on REDIS_PORT [PORT+10], pinned to SERVER_CPU
#               with the nodes; the publisher on node A, the subscribers spread over A, B and C (PORT, PORT+2, PORT+3)
#   WS_VERSION [8.18.3]  OUT [target/fanout-<time>]: results are appended to OUT/results.tsv, so a run split into
#               several (e.g. one per subscriber count, each under the benchmark lock) can share one OUT; the table
#               covers everything in it.
# G1 is named explicitly: pinned to one CPU the JVM would otherwise pick the serial collector.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
JAR="${JAR:-$here/target/benchmarks.jar}"
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-3}"
SERVERS="${SERVERS:-netty-fanout wsnetty-fanout node-ws-fanout}"
SCENARIOS="${SCENARIOS:-100:20 100:1024 1000:20 1000:1024 10000:20 10000:1024}"
WINDOW="${WINDOW:-32}"
SOURCES="${SOURCES:-4}"
PORT="${PORT:-18080}"
SERVER_JAVA="${SERVER_JAVA:-java}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
CLIENT_JAVA_OPTS="${CLIENT_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
WS_VERSION="${WS_VERSION:-8.18.3}"
NODE_MODULES="$here/target/node/node_modules"
OUT="${OUT:-$here/target/fanout-$(date +%Y%m%d-%H%M%S)}"

# shellcheck source=bench-servers.sh
source "$here/bench-servers.sh"
require_jar
mkdir -p "$OUT"
results="$OUT/results.tsv"
touch "$results"

if [[ " $SERVERS " == *" node-ws-fanout "* ]] && command -v npm > /dev/null \
    && [[ "$(node -p "require('$NODE_MODULES/ws/package.json').version" 2> /dev/null)" != "$WS_VERSION" ]]; then
  npm install --prefix "$here/target/node" --no-save --no-audit --no-fund "ws@$WS_VERSION" > "$OUT/npm.log" 2>&1 \
    || echo "npm install ws@$WS_VERSION failed, see $OUT/npm.log"
fi

servers=()
for s in $SERVERS; do
  if server_available "$s"; then
    servers+=("$s")
  else
    echo "skipping $s: not in the jar, or node / the ws package missing"
  fi
done

# CPU time (user + system, in clock ticks of 1/100 s) the process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }
# Waits until file $1 has a line matching $2, polling every 50 ms; fails once process $3 has ended without it.
wait_for_line() {
  until grep -qs "$2" "$1"; do
    kill -0 "$3" 2> /dev/null || return 1
    sleep 0.05
  done
}

REDIS_PORT="${REDIS_PORT:-$((PORT + 10))}"
redis_pid=""
# Starts a redis-server of the run's own (no persistence, directory $1) pinned to SERVER_CPU; waits for PING.
start_redis() {
  mkdir -p "$1"
  taskset -c "$SERVER_CPU" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$1" > "$1/redis.log" 2>&1 &
  redis_pid=$!
  local deadline=$((SECONDS + 10))
  until [[ "$(redis-cli -p "$REDIS_PORT" ping 2> /dev/null)" == PONG ]]; do
    if (( SECONDS >= deadline )); then echo "redis-server did not start, see $1/redis.log" >&2; return 1; fi
    sleep 0.1
  done
}
stop_redis() {
  if [[ -n "$redis_pid" ]]; then
    kill "$redis_pid" 2> /dev/null || true
    wait "$redis_pid" 2> /dev/null || true
    redis_pid=""
  fi
}
trap 'stop_server; stop_redis' EXIT  # replaces bench-servers.sh's trap, keeping what it did

# A field of the server's PUBLISH_COST line, "-" when there is none (node).
cost_field() { local v; v="$(field "$1" "$cost")"; echo "${v:--}"; }

echo "fan-out benchmark: $ROUNDS rounds, ${WARMUP}s warm-up + ${DURATION}s each, binary, window $WINDOW," \
  "servers: ${servers[*]}"
echo "server on CPU $SERVER_CPU ($("$SERVER_JAVA" -version 2>&1 | head -1); node $(node --version 2> /dev/null)," \
  "ws $WS_VERSION), load generator on CPU $CLIENT_CPU; logs in $OUT"
for round in $(seq 1 "$ROUNDS"); do
  for scenario in $SCENARIOS; do
    IFS=: read -r subscribers size <<< "$scenario"
    name="${subscribers}x${size}B"
    for server in "${servers[@]}"; do
      tag="$name-$server-$round"
      server_args=(--warmup "$WARMUP") client_args=()
      if [[ "$server" == wsnetty-cluster-fanout ]]; then
        start_redis "$OUT/$tag.redis"
        server_args+=(--redis "redis://127.0.0.1:$REDIS_PORT")
        client_args=(--subscriber-ports "$PORT,$((PORT + 2)),$((PORT + 3))")
      fi
      start_server "$server" "$OUT/$tag.server.log" "${server_args[@]}"
      # shellcheck disable=SC2086
      taskset -c "$CLIENT_CPU" java $CLIENT_JAVA_OPTS -cp "$JAR" dev.wsnetty.bench.load.LoadGenerator --fanout \
        --port "$PORT" --connections "$subscribers" --size "$size" --inflight "$WINDOW" --sources "$SOURCES" \
        --duration "$DURATION" --warmup "$WARMUP" "${client_args[@]}" > "$OUT/$tag.client.log" 2>&1 &
      client_pid=$!
      # How busy each side's core was inside the measurement window (the client prints "measuring" and "measured"
      # at its ends; sampled every 50 ms): a side near 100 % is the one that limits, and the server's CPU time gives
      # the delivered messages per CPU-second, which holds up when other work shares the machine.
      server_busy=0 client_busy=0
      if wait_for_line "$OUT/$tag.client.log" "^measuring" "$client_pid"; then
        s0=$(cpu_ticks "$server_pid") c0=$(cpu_ticks "$client_pid") t0=$(date +%s.%N)
        if wait_for_line "$OUT/$tag.client.log" "^measured" "$client_pid"; then
          s1=$(cpu_ticks "$server_pid") c1=$(cpu_ticks "$client_pid") t1=$(date +%s.%N)
          server_busy=$(awk -v u=$((s1 - s0)) -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", u / (b - a) }')
          client_busy=$(awk -v u=$((c1 - c0)) -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", u / (b - a) }')
        fi
      fi
      wait "$client_pid" || true
      out="$(grep '^RESULT' "$OUT/$tag.client.log" || true)"
      # The Java servers print the publish call's cost when the publisher disconnects (the client's first close).
      cost="$(grep -m1 '^PUBLISH_COST' "$OUT/$tag.server.log" || true)"
      stop_server
      stop_redis
      if [[ -z "$out" ]]; then
        echo "round $round $name $server: no result (see $OUT/$tag.client.log)"
        printf '%s\t%s\t%s\t0\t0\t0\t1\t-\t-\t-\t-\t-\t-\t0\n' "$name" "$server" "$round" >> "$results"
        continue
      fi
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$server" "$round" \
        "$(field msgs_per_s "$out")" "$(field p50_us "$out")" "$(field p99_us "$out")" "$(field errors "$out")" \
        "$(cost_field mean_ns)" "$(cost_field p50_ns)" "$(cost_field p99_ns)" \
        "$(cost_field cpu_mean_ns)" "$(cost_field cpu_p50_ns)" "$(cost_field cpu_p99_ns)" "$server_busy" >> "$results"
      echo "round $round $name $server: $out server_cpu=${server_busy}% client_cpu=${client_busy}%" \
        "${cost:-PUBLISH_COST n/a}"
    done
  done
done

echo
java -cp "$JAR" dev.wsnetty.bench.load.FanoutReport "$results" netty-fanout | tee "$OUT/report.md"
