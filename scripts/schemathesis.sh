#!/usr/bin/env bash
# Property-based checks of the gateway against its own served OpenAPI document with schemathesis (PyPI):
# every operation is called with generated valid and invalid input; the run fails on any 5xx answer
# (not_a_server_error) or an answer that does not match the document (status codes, content types).
# Needs PostgreSQL and RabbitMQ (make services-up) and a built gateway (CONFIG: debug or release).
#   EXAMPLES (default 50 per operation), PG_PORT, AMQP_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-debug}
EXAMPLES=${EXAMPLES:-50}
PG_PORT=${PG_PORT:-5432}
AMQP_PORT=${AMQP_PORT:-5672}
BIN=.build/$CONFIG/pansible-gateway
[ -x "$BIN" ] || swift build -c "$CONFIG" --product pansible-gateway
command -v st >/dev/null || pip install --quiet schemathesis

DB=schemathesis_$$
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt)
"${PSQL[@]}" -c "CREATE DATABASE $DB"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN=schemathesis-admin-token
LOG=$(mktemp)
PANSIBLE_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$DB PANSIBLE_AMQP_URL=amqp://guest:guest@127.0.0.1:$AMQP_PORT/ \
    PANSIBLE_ADMIN_TOKEN=$TOKEN PANSIBLE_SECRET_KEY=$(head -c 32 /dev/urandom | base64) PANSIBLE_PORT=127.0.0.1:$PORT \
    PANSIBLE_LOG_LEVEL=warning "$BIN" >"$LOG" 2>&1 &
GATEWAY=$!
cleanup() {
    kill "$GATEWAY" 2>/dev/null || true
    wait "$GATEWAY" 2>/dev/null || true
    "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
    rm -f "$LOG"
}
trap cleanup EXIT
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 150); do
    curl -fs "$URL/readyz" >/dev/null 2>&1 && break
    sleep 0.2
done
status=0
st run "$URL/api/v1/openapi.json" --url "$URL" -H "Authorization: Bearer $TOKEN" --checks not_a_server_error,status_code_conformance,content_type_conformance \
    --max-examples "$EXAMPLES" --suppress-health-check all || status=$?
if grep -q '"level":"error"\|error' "$LOG"; then
    echo "schemathesis: the gateway logged errors:" >&2
    grep -i 'error' "$LOG" | head -20 >&2
fi
exit $status
