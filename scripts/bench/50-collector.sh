#!/usr/bin/env bash
# Collector ingestion: a backlog of realistic events (the worker's format, 20 shards, results of a few hundred
# bytes) published with confirms, then the time for an in-process collector (release build) to store them
# all (events/s until count(*) reaches the total), beside the raw COPY of the same rows into an empty copy of
# the events table in the same run (the machine's ceiling). A fresh database and a private virtual host are
# created and removed. Needs the broker on AMQP_PORT (default 5672) and PostgreSQL on PG_PORT (default 5432).
# Asserts nothing.   EVENTS (default 200000) and BATCH (events per message, default 100) change the load.
set -euo pipefail
cd "$(dirname "$0")/../.."
AMQP_PORT=${AMQP_PORT:-5672}
PG_PORT=${PG_PORT:-5432}
EVENTS=${EVENTS:-200000}
BATCH=${BATCH:-100}
collector=.build/release/pansible-collector
[ -x "$collector" ] || { echo "build first: swift build -c release" >&2; exit 1; }
vhost="bench-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
AMQP_PORT=$AMQP_PORT PG_PORT=$PG_PORT scripts/services.sh add-vhost "$vhost" >/dev/null
trap 'AMQP_PORT=$AMQP_PORT PG_PORT=$PG_PORT scripts/services.sh delete-vhost "$vhost" >/dev/null' EXIT
"$collector" bench-ingest --events "$EVENTS" --batch "$BATCH" \
    --amqp-url "amqp://guest:guest@127.0.0.1:$AMQP_PORT/$vhost" \
    --database-url "${PANSIBLE_DATABASE_URL:-postgres://postgres@127.0.0.1:$PG_PORT/postgres}"
