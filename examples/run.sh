#!/bin/sh
# Builds the examples jar if needed and runs one example, e.g.:
#   examples/run.sh broadcast-server          (then open http://localhost:8080/)
#   examples/run.sh chat-client --url ws://localhost:8080/ws
#   examples/run.sh --help
# Needs only a JDK (17 or later): the Maven wrapper fetches Maven and the dependencies.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/examples/target/wsnetty-examples.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/examples/src" "$root/websocket-api/src/main" "$root/websocket-netty/src/main" "$root/websocket-redis/src/main" -newer "$jar" -type f -print -quit)" ]; then
    (cd "$root" && ./mvnw -q -pl examples -am -DskipTests package)
fi
exec java -jar "$jar" "$@"
