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

# shellcheck source=scripts/lib/gateway.sh
. scripts/lib/gateway.sh
start_gateway "$BIN"
status=0
st run "$URL/api/v1/openapi.json" --url "$URL" -H "Authorization: Bearer $TOKEN" --checks not_a_server_error,status_code_conformance,content_type_conformance \
    --max-examples "$EXAMPLES" --suppress-health-check all || status=$?
if grep -q '"level":"error"\|error' "$LOG"; then
    echo "schemathesis: the gateway logged errors:" >&2
    grep -i 'error' "$LOG" | head -20 >&2
fi
exit $status
