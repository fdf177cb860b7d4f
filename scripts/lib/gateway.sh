# Sourced by scripts that run a gateway of their own (scripts/bench/40-gateway.sh, scripts/schemathesis.sh):
#   start_gateway BIN [VAR=value ...]   starts BIN on a new database and a free port, waits until it is ready,
#                                       and stops it (dropping the database) when the script exits.
# Sets DB, PSQL (psql on it), URL, TOKEN and LOG (the gateway's output). Needs PG_PORT and AMQP_PORT.
start_gateway() {
    local bin=$1
    shift
    DB=gateway_$$_$RANDOM
    PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt)
    "${PSQL[@]}" -c "CREATE DATABASE $DB"
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    TOKEN=gateway-admin-token-$$
    LOG=$(mktemp)
    env PANSIBLE_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$DB" PANSIBLE_AMQP_URL="amqp://guest:guest@127.0.0.1:$AMQP_PORT/" \
        PANSIBLE_ADMIN_TOKEN="$TOKEN" PANSIBLE_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" PANSIBLE_PORT="127.0.0.1:$port" \
        PANSIBLE_LOG_LEVEL=warning "$@" "$bin" >"$LOG" 2>&1 &
    GATEWAY_PID=$!
    trap stop_gateway EXIT
    URL=http://127.0.0.1:$port
    for _ in $(seq 1 150); do
        curl -fs "$URL/readyz" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    echo "the gateway did not become ready:" >&2
    cat "$LOG" >&2
    exit 1
}

stop_gateway() {
    kill "$GATEWAY_PID" 2>/dev/null || true
    wait "$GATEWAY_PID" 2>/dev/null || true
    "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
    rm -f "$LOG"
}
