#!/usr/bin/env bash
# The end-to-end echo benchmark over TLS: ours and Netty's built-in server behind the same SslHandler setup
# (OpenSSL when it loads, TLS 1.3, one self-signed certificate both present), the load generator trusting it.
# Same settings as run-echo.sh (ROUNDS, DURATION, WARMUP, SCENARIOS, ...), which prints the ratios to Netty.
exec env TLS=1 "$(cd "$(dirname "$0")" && pwd)/run-echo.sh" "$@"
