#!/usr/bin/env bash
# Gateway: job launches per second through the API (each one a committed job + outbox row, relayed to the
# broker with confirms), and the latency of GET /api/v1/job/result/{uuid} for a stored 10,000-host job (seeded
# straight into PostgreSQL: shards, host summaries and one failed event per 100 hosts). Targets: >= 1,000
# launches/s, result p50 <= 100 ms. Needs the broker and PostgreSQL on AMQP_PORT/PG_PORT (make services-up).
# Asserts nothing.
#   SECONDS_LAUNCH (default 10), CONNECTIONS (default 32), HOSTS (default 10000), CONFIG (release or debug).
set -euo pipefail
cd "$(dirname "$0")/../.."
AMQP_PORT=${AMQP_PORT:-5672}
PG_PORT=${PG_PORT:-5432}
CONFIG=${CONFIG:-release}
SECONDS_LAUNCH=${SECONDS_LAUNCH:-10}
CONNECTIONS=${CONNECTIONS:-32}
HOSTS=${HOSTS:-10000}
BIN=${BIN:-.build/$CONFIG/pansible-gateway}
[ -x "$BIN" ] || swift build -c "$CONFIG" --product pansible-gateway

# shellcheck source=scripts/lib/gateway.sh
. scripts/lib/gateway.sh
start_gateway "$BIN" PANSIBLE_DATABASE_POOL_SIZE=16

api() { curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
INVENTORY=$(api -d '{"name": "bench", "env": "bench", "version": "1", "hosts": "all:\n  hosts:\n    node[001:100]:\n"}' "$URL/api/v1/inventory" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
PLAYBOOK=$(api -d '{"name": "bench", "git_repo": "/srv/bench.git", "entry": "site.yml"}' "$URL/api/v1/playbook" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

echo "launches ($CONFIG build, $CONNECTIONS connections, ${SECONDS_LAUNCH}s; target >= 1000/s):"
python3 scripts/bench/gateway_load.py launch "$URL" "$TOKEN" "$PLAYBOOK" "$INVENTORY" bench "$SECONDS_LAUNCH" "$CONNECTIONS"
sleep 2
"${PSQL[@]}" -d "$DB" -c "SELECT 'jobs=' || (SELECT count(*) FROM jobs) || ' outbox_unpublished=' || (SELECT count(*) FROM outbox WHERE published_at IS NULL)"
# The launched messages are in the shared pansible.jobs queue; take them out again.
# (Left there, a splitter started later, by 70-e2e for one, would have to fail every one of them first.)
scripts/services.sh purge-queue pansible.jobs 2>/dev/null ||
    echo "(the launched job messages stay in the broker's pansible.jobs queue)"

UUID=$(python3 -c 'import uuid; print(uuid.uuid4())')
RUN=$(python3 -c 'import uuid; print(uuid.uuid4())')
"${PSQL[@]}" -d "$DB" <<SQL
INSERT INTO jobs (uuid, env, status, shard_count, host_count) VALUES ('$UUID', 'bench', 'failed', $HOSTS / 100, $HOSTS);
INSERT INTO shards (job_uuid, shard_index, hosts, status, current_run_id)
SELECT '$UUID', s, array_agg('host' || lpad(h::text, 5, '0') ORDER BY h), 'failed', '$RUN'
FROM generate_series(0, $HOSTS - 1) AS h, LATERAL (SELECT h / 100 AS s) AS shard GROUP BY s;
INSERT INTO host_summaries (job_uuid, host, shard_index, run_id, attempt, ok, changed, failures, job_start_time)
SELECT '$UUID', 'host' || lpad(h::text, 5, '0'), h / 100, '$RUN', 1, 5, 2, (h % 100 = 0)::int, now() FROM generate_series(0, $HOSTS - 1) AS h;
INSERT INTO events (job_uuid, event_id, type, shard_index, run_id, attempt, counter, host, failed, created_at, payload)
SELECT '$UUID', 'e' || h, 'runner_on_failed', h / 100, '$RUN', 1, h, 'host' || lpad(h::text, 5, '0'), true, now(),
       jsonb_build_object('type', 'runner_on_failed', 'result', jsonb_build_object('msg', 'failed on purpose', 'rc', 1))
FROM generate_series(0, $HOSTS - 1, 100) AS h;
ANALYZE;
SQL
echo "GET /api/v1/job/result/{uuid} of a $HOSTS-host job (target p50 <= 100 ms):"
python3 scripts/bench/gateway_load.py get "$URL" "$TOKEN" "/api/v1/job/result/$UUID" 50 1
