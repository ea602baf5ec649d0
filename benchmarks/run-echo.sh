#!/usr/bin/env bash
# End-to-end echo benchmark: each server pinned to one core, the load generator to the other, servers run
# in alternation (A B C A B C ...) for ROUNDS rounds, then medians and ratios to Netty's built-in server
# are printed as a markdown table. Builds nothing: run `./mvnw -pl benchmarks -am package -DskipTests`
# first (from the repository root).
#
# Settings (environment variables, defaults in brackets):
#   ROUNDS [3]  DURATION [10] seconds measured  WARMUP [5] seconds before measuring
#   SERVERS ["netty wsnetty wsnetty-blocking"]  servers missing from the jar are skipped; a name with the suffix
#               +io_uring (e.g. wsnetty+io_uring) runs that server on io_uring instead of epoll
#   SCENARIOS ["small:100:20:32 large:10:65536:4"]  name:connections:size:inflight
#   MESSAGE [--binary] or --text   PORT [18080] (the server's control port is PORT+1)
#   LOAD_OPTS [] more load generator options, e.g. --deflate (permessage-deflate offered, compressed messages
#               where agreed; each run's WIRE line, bytes on the wire per message, goes to results-wire.tsv)
#   BASELINE [netty] the server the ratios are to, e.g. netty+deflate (servers with +lean, +context, +deflate:
#               permessage-deflate on, see bench-servers.sh)
#   SERVER_CPU [0]  CLIENT_CPU [1]  SERVER_JAVA_OPTS / CLIENT_JAVA_OPTS  OUT [target/echo-<time>]
#   SERVER_JAVA [java] the servers' JVM, e.g. a JDK 25, where the blocking server's handlers are virtual threads
#               (the load generator runs on `java`)
#   TLS [0]  1: everything over TLS (wss). One self-signed certificate is written to OUT; both servers present it
#            (OpenSSL when it loads, TLS 1.3), the load generator trusts exactly it. SERVERS then defaults to
#            "netty wsnetty" (the servers with a TLS option). run-tls-echo.sh is this with TLS=1.
# G1 is named explicitly: pinned to one CPU the JVM would otherwise pick the serial collector.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
JAR="${JAR:-$here/target/benchmarks.jar}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
TLS="${TLS:-0}"
if [[ "$TLS" == 1 ]]; then
  SERVERS="${SERVERS:-netty wsnetty}"
else
  SERVERS="${SERVERS:-netty wsnetty wsnetty-blocking}"
fi
SCENARIOS="${SCENARIOS:-small:100:20:32 large:10:65536:4}"
MESSAGE="${MESSAGE:---binary}"
PORT="${PORT:-18080}"
SERVER_JAVA="${SERVER_JAVA:-java}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
CLIENT_JAVA_OPTS="${CLIENT_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled}"
OUT="${OUT:-$here/target/echo-$(date +%Y%m%d-%H%M%S)}"
LOAD_OPTS="${LOAD_OPTS:-}"
BASELINE="${BASELINE:-netty}"

# shellcheck source=bench-servers.sh
source "$here/bench-servers.sh"
require_jar
mkdir -p "$OUT"
results="$OUT/results.tsv"
: > "$results"

server_tls=()
client_tls=()
if [[ "$TLS" == 1 ]]; then
  java -cp "$JAR" dev.wsnetty.bench.server.TlsFiles "$OUT/cert.pem" "$OUT/key.pem"
  server_tls=(--tls-cert "$OUT/cert.pem" --tls-key "$OUT/key.pem")
  client_tls=(--tls --trust "$OUT/cert.pem")
fi

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

echo "echo benchmark$([[ "$TLS" == 1 ]] && echo " over TLS"): $ROUNDS rounds, ${WARMUP}s warm-up + ${DURATION}s each, $MESSAGE, servers: ${servers[*]}"
echo "server on CPU $SERVER_CPU ($("$SERVER_JAVA" -version 2>&1 | head -1)), load generator on CPU $CLIENT_CPU; logs in $OUT"
for round in $(seq 1 "$ROUNDS"); do
  for scenario in $SCENARIOS; do
    IFS=: read -r name connections size inflight <<< "$scenario"
    for server in "${servers[@]}"; do
      tag="$name-$server-$round"
      start_server "$server" "$OUT/$tag.server.log" "${server_tls[@]}"
      server_ticks=$(cpu_ticks "$server_pid")
      started=$(date +%s.%N)
      # shellcheck disable=SC2086
      out="$(taskset -c "$CLIENT_CPU" /usr/bin/time -f 'CPU %P' java $CLIENT_JAVA_OPTS -cp "$JAR" \
        dev.wsnetty.bench.load.LoadGenerator \
        --port "$PORT" --connections "$connections" --size "$size" --inflight "$inflight" \
        --duration "$DURATION" --warmup "$WARMUP" $MESSAGE $LOAD_OPTS "${client_tls[@]}" 2>&1 \
        | tee "$OUT/$tag.client.log" | grep '^RESULT' || true)"
      wire="$(sed -n 's/^WIRE //p' "$OUT/$tag.client.log")"
      [[ -n "$wire" ]] && printf '%s\t%s\t%s\t%s\n' "$name" "$server" "$round" "$wire" >> "$OUT/results-wire.tsv"
      # How busy each side's core was over the whole client run: a side near 100 % is the one that limits.
      server_busy=$(awk -v used="$(( $(cpu_ticks "$server_pid") - server_ticks ))" -v t0="$started" \
        -v t1="$(date +%s.%N)" 'BEGIN { printf "%.0f", used / (t1 - t0) }')
      client_busy=$(sed -n 's/^CPU \([0-9]*\)%$/\1/p' "$OUT/$tag.client.log")
      stop_server
      if [[ -z "$out" ]]; then
        echo "round $round $name $server: no result (see $OUT/$tag.client.log)"
        printf '%s\t%s\t%s\t0\t0\t0\t0\t0\t1\n' "$name" "$server" "$round" >> "$results"
        continue
      fi
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$server" "$round" \
        "$(field msgs_per_s "$out")" "$(field mib_per_s "$out")" "$(field p50_us "$out")" \
        "$(field p99_us "$out")" "$(field p999_us "$out")" "$(field errors "$out")" >> "$results"
      echo "round $round $name $server: $out server_cpu=${server_busy}% client_cpu=${client_busy}%"
    done
  done
done

echo
java -cp "$JAR" dev.wsnetty.bench.load.EchoReport "$results" "$BASELINE" | tee "$OUT/report.md"
if [[ -s "$OUT/results-wire.tsv" ]]; then
  echo
  echo "bytes on the wire per message (scenario, server, round, WIRE line):"
  cat "$OUT/results-wire.tsv"
fi
