#!/usr/bin/env bash
# Live progress latency: a collector (release build, storing the events as well) with SUBSCRIBERS WebSocket
# subscribers (default 50), whose jobs' events are published at RATE events/s (default 5000) for
# SECONDS_MEASURED (default 10) in messages of BATCH events (default 10); the time from each message's publish
# to each subscriber's receipt (p50, p99, max), beside a plain AMQP consumer of the same events in the same
# run (the broker alone). Runs twice unless JOBS is set: subscribers spread over 50 jobs (each event reaches
# one subscriber), then all of one job (each event reaches every subscriber). Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/collector.bash
for jobs in ${JOBS:-${SUBSCRIBERS:-50} 1}; do
    run_collector_bench live --rate "${RATE:-5000}" --subscribers "${SUBSCRIBERS:-50}" --jobs "$jobs" \
        --seconds "${SECONDS_MEASURED:-10}" --batch "${BATCH:-10}"
done
