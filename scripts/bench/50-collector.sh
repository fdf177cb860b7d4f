#!/usr/bin/env bash
# Collector ingestion: a backlog of realistic events (the worker's format, 20 shards, results of a few hundred
# bytes) published with confirms, then the time for an in-process collector (release build) to store them
# all (events/s until its committed-events counter reaches the total, checked against count(*) after), beside
# the raw COPY of the same rows into an empty copy of the events table in the same run (the machine's
# ceiling). Asserts nothing.   EVENTS (default 200000) and BATCH (events per message, default 100) change the
# load; WRITERS sets collector.writers (default 4).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/collector.bash
run_collector_bench ingest --events "${EVENTS:-200000}" --batch "${BATCH:-100}" ${WRITERS:+--collector-writers "$WRITERS"}
