#!/usr/bin/env bash
# AMQP round trip with persistent 256-byte messages: publish-with-confirms (window 500) and consume-with-ack
# (prefetch 100, one ack per message) rates of Pansible's client (release build) beside a plain rabbitmq-c C
# program doing the same work (scripts/bench/amqp_bench.c), on a quorum queue (what Pansible uses) and on a
# classic queue. Needs the broker on AMQP_PORT (default 5672). Asserts nothing.
#   MESSAGES (default 100000) and BYTES (default 256) change the load.
set -euo pipefail
cd "$(dirname "$0")/../.."
AMQP_PORT=${AMQP_PORT:-5672}
MESSAGES=${MESSAGES:-100000}
BYTES=${BYTES:-256}
export PANSIBLE_AMQP_URL=${PANSIBLE_AMQP_URL:-amqp://guest:guest@127.0.0.1:$AMQP_PORT/}

BIN=.build/release/pansible-bench-amqp
[ -x "$BIN" ] || swift build -c release --product pansible-bench-amqp
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
gcc -O2 -o "$TMP/amqp_bench" scripts/bench/amqp_bench.c $(pkg-config --cflags --libs librabbitmq 2>/dev/null || echo -lrabbitmq)

field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<<"$2"; }
printf '%-52s %10s %12s\n' "AMQP, $MESSAGES x $BYTES B persistent" "pansible" "rabbitmq-c"
for type in quorum classic; do
    swift_result=$("$BIN" "$MESSAGES" "$BYTES" "$type")
    c_result=$("$TMP/amqp_bench" 127.0.0.1 "$AMQP_PORT" "$MESSAGES" "$BYTES" "$type")
    printf '%-52s %10s %12s\n' "$type queue: publish with confirms, msg/s" "$(field publish "$swift_result")" "$(field publish "$c_result")"
    printf '%-52s %10s %12s\n' "$type queue: consume with ack, msg/s" "$(field consume "$swift_result")" "$(field consume "$c_result")"
done
