#!/usr/bin/env bash
# What a number of connections hold: the difference of two class histograms of live objects (as written by
# `jcmd <pid> GC.class_histogram`, or by run-scale.sh with HISTOGRAM=1), per connection, biggest first.
#
#   histogram-diff.sh BEFORE AFTER CONNECTIONS
#
# Prints "bytes instances class" per connection, the classes whose share is at least 1 B or 0.05 instances,
# then the total.
set -euo pipefail

if (( $# != 3 )); then
  echo "usage: $0 BEFORE AFTER CONNECTIONS" >&2
  exit 2
fi

rows="$(awk -v n="$3" '
  # Rows look like "   1:   12345   678900  java.lang.String (java.base@17)".
  $1 ~ /^[0-9]+:$/ { sign = FILENAME == ARGV[1] ? -1 : 1; count[$4] += sign * $2; bytes[$4] += sign * $3 }
  END {
    for (c in bytes) {
      if (bytes[c] / n >= 1 || bytes[c] / n <= -1 || count[c] / n >= 0.05 || count[c] / n <= -0.05) {
        printf "%8.1f %6.2f  %s\n", bytes[c] / n, count[c] / n, c
      }
      total += bytes[c]
    }
    printf "%8.1f         (total)\n", total / n
  }' "$1" "$2")"
grep -v '(total)$' <<< "$rows" | sort -k1,1 -g -r
grep '(total)$' <<< "$rows"
