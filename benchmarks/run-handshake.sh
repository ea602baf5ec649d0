#!/usr/bin/env bash
# Handshake benchmark: new TCP connection, upgrade (101 and accept key checked), Close, the server's Close, TCP end,
# with K connections in flight, repeated. Each server pinned to one core, the load generator
# (`LoadGenerator --handshakes`) to the other, servers run in alternation (A B C A B C ...) for ROUNDS rounds, then
# medians and ratios to Netty's built-in server as a markdown table. Builds nothing: run
# `./mvnw -pl benchmarks -am package -DskipTests` first (from the repository root).
#
# Ephemeral ports: every server here closes TCP first after the Close handshake (RFC 6455 §7.1.1) and the client
# closes its socket only after the server's FIN, so TIME_WAIT is on the server's side (keyed by the server's port)
# and the client's port is free at once; SOURCES spreads the connections over 127.0.0.1 .. 127.0.0.SOURCES as well,
# so the server's TIME_WAIT four-tuples are spread too. The number of sockets in TIME_WAIT is printed per run.
#
# Settings (environment variables, defaults in brackets):
#   ROUNDS [3]  DURATION [8] seconds measured  WARMUP [4] seconds before measuring
#   SERVERS ["netty wsnetty wsnetty-blocking"]  servers missing from the jar are skipped; a name with the suffix
#               +io_uring (e.g. wsnetty+io_uring) runs that server on io_uring instead of epoll
#   SCENARIOS ["k16:16"]  name:connections-in-flight   SOURCES [8] source addresses 127.0.0.1 .. 127.0.0.N
#   PORT [18080] (the server's control port is PORT+1)  SERVER_CPU [0]  CLIENT_CPU [1]
#   SERVER_JAVA_OPTS / CLIENT_JAVA_OPTS  OUT [target/handshake-<time>]
#   SERVER_JAVA [java] the servers' JVM, e.g. a JDK 25 (the load generator runs on `java`)
#   SERVER_EXTRA_OPTS  JVM options added to every server start (e.g. -Dwsnetty.bench.transport=io_uring)
# G1 is named explicitly: pinned to one CPU the JVM would otherwise pick the serial collector.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
JAR="${JAR:-$here/target/benchmarks.jar}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-8}"
WARMUP="${WARMUP:-4}"
SERVERS="${SERVERS:-netty wsnetty wsnetty-blocking}"
SCENARIOS="${SCENARIOS:-k16:16}"
SOURCES="${SOURCES:-8}"
PORT="${PORT:-18080}"
SERVER_JAVA="${SERVER_JAVA:-java}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
CLIENT_JAVA_OPTS="${CLIENT_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
OUT="${OUT:-$here/target/handshake-$(date +%Y%m%d-%H%M%S)}"

# shellcheck source=bench-servers.sh
source "$here/bench-servers.sh"
require_jar
mkdir -p "$OUT"
results="$OUT/results.tsv"
: > "$results"

servers=()
for s in $SERVERS; do
  if server_in_jar "$s"; then
    servers+=("$s")
  else
    echo "skipping $s: $(server_class "$s") is not in the jar (not merged yet?)"
  fi
done

# CPU time (user + system, in clock ticks of 1/100 s) the process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }

time_wait() { ss -tan state time-wait 2> /dev/null | tail -n +2 | wc -l; }

echo "handshake benchmark: $ROUNDS rounds, ${WARMUP}s warm-up + ${DURATION}s each, $SOURCES source address(es), servers: ${servers[*]}"
echo "server on CPU $SERVER_CPU ($("$SERVER_JAVA" -version 2>&1 | head -1)), load generator on CPU $CLIENT_CPU; logs in $OUT"
for round in $(seq 1 "$ROUNDS"); do
  for scenario in $SCENARIOS; do
    IFS=: read -r name inflight <<< "$scenario"
    for server in "${servers[@]}"; do
      tag="$name-$server-$round"
      start_server "$server" "$OUT/$tag.server.log"
      server_ticks=$(cpu_ticks "$server_pid")
      started=$(date +%s.%N)
      # shellcheck disable=SC2086
      out="$(taskset -c "$CLIENT_CPU" /usr/bin/time -f 'CPU %P' java $CLIENT_JAVA_OPTS -cp "$JAR" \
        dev.wsnetty.bench.load.LoadGenerator --handshakes --sources "$SOURCES" \
        --port "$PORT" --connections "$inflight" \
        --duration "$DURATION" --warmup "$WARMUP" 2>&1 | tee "$OUT/$tag.client.log" | grep '^RESULT' || true)"
      server_busy=$(awk -v used="$(( $(cpu_ticks "$server_pid") - server_ticks ))" -v t0="$started" \
        -v t1="$(date +%s.%N)" 'BEGIN { printf "%.0f", used / (t1 - t0) }')
      client_busy=$(sed -n 's/^CPU \([0-9]*\)%$/\1/p' "$OUT/$tag.client.log")
      tw=$(time_wait)
      stop_server
      if [[ -z "$out" ]]; then
        echo "round $round $name $server: no result (see $OUT/$tag.client.log)"
        printf '%s\t%s\t%s\t0\t0\t0\t0\t0\t1\n' "$name" "$server" "$round" >> "$results"
        continue
      fi
      printf '%s\t%s\t%s\t%s\t0\t%s\t%s\t%s\t%s\n' "$name" "$server" "$round" \
        "$(field handshakes_per_s "$out")" "$(field p50_us "$out")" \
        "$(field p99_us "$out")" "$(field p999_us "$out")" "$(field errors "$out")" >> "$results"
      echo "round $round $name $server: $out server_cpu=${server_busy}% client_cpu=${client_busy}% time_wait=$tw"
    done
  done
done

echo
java -cp "$JAR" dev.wsnetty.bench.load.EchoReport "$results" netty --handshakes | tee "$OUT/report.md"
