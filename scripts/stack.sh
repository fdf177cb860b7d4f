#!/usr/bin/env bash
# Starts or stops the whole Pansible stack on this machine: the private RabbitMQ and PostgreSQL, then the
# gateway, splitter, collector and WORKERS workers (release binaries), logging under .pansible/logs.
#   scripts/stack.sh up|down|stop|status      (stop: the Pansible processes only, the services keep running)
# Environment: BIN_DIR (default .build/release), WORKERS (default 2; 0 starts none, and `up` stops workers
# beyond WORKERS), plus the services script's variables.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
STATE=${PANSIBLE_STATE_DIR:-$ROOT/.pansible}
BIN_DIR=${BIN_DIR:-$ROOT/.build/release}
WORKERS=${WORKERS:-2}
LOGS=$STATE/logs
RUN=$STATE/run
mkdir -p "$LOGS" "$RUN"

export PANSIBLE_AMQP_URL=${PANSIBLE_AMQP_URL:-amqp://guest:guest@127.0.0.1:${AMQP_PORT:-5672}/}
export PANSIBLE_DATABASE_URL=${PANSIBLE_DATABASE_URL:-postgres://postgres@127.0.0.1:${PG_PORT:-5432}/pansible}
GATEWAY=${PANSIBLE_PORT:-127.0.0.1:5757}
COLLECTOR=${PANSIBLE_WS_PORT:-127.0.0.1:5858}

secrets() {
    [ -s "$STATE/admin_token" ] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$STATE/admin_token")
    [ -s "$STATE/secret_key" ] || (umask 077 && head -c 32 /dev/urandom | base64 > "$STATE/secret_key")
    export PANSIBLE_ADMIN_TOKEN=$(cat "$STATE/admin_token")
    export PANSIBLE_SECRET_KEY=$(cat "$STATE/secret_key")
}

running() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start() {
    local name=$1; shift
    if running "$name"; then echo "$name: already running (pid $(cat "$RUN/$name.pid"))"; return; fi
    "$@" >>"$LOGS/$name.log" 2>&1 &
    echo $! > "$RUN/$name.pid"
}

wait_ready() {
    local name=$1 url=$2 i
    for i in $(seq 1 150); do
        if curl -fsS "$url/readyz" >/dev/null 2>&1; then return 0; fi
        if ! running "$name"; then echo "$name: exited; last log lines:" >&2; tail -20 "$LOGS/$name.log" >&2; return 1; fi
        sleep 0.2
    done
    echo "$name: not ready after 30 s (see $LOGS/$name.log)" >&2
    return 1
}

up() {
    for binary in gateway splitter worker collector; do
        [ -x "$BIN_DIR/pansible-$binary" ] || { echo "missing $BIN_DIR/pansible-$binary: run make release" >&2; exit 1; }
    done
    "$ROOT/scripts/services.sh" up
    secrets
    start gateway "$BIN_DIR/pansible-gateway"
    wait_ready gateway "http://$GATEWAY"
    start collector "$BIN_DIR/pansible-collector"
    start splitter "$BIN_DIR/pansible-splitter"
    for i in $(seq 1 "$WORKERS"); do
        PANSIBLE_WORKER_WORK_DIR=$STATE/worker-$i start "worker-$i" "$BIN_DIR/pansible-worker"
    done
    stop_surplus_workers
    wait_ready collector "http://$COLLECTOR"
    sleep 1
    for name in splitter $(seq -f 'worker-%g' 1 "$WORKERS"); do
        running "$name" || { echo "$name: exited; last log lines:" >&2; tail -20 "$LOGS/$name.log" >&2; exit 1; }
    done
    cat <<INFO
Pansible is up.
  REST API     http://$GATEWAY/api/v1   (OpenAPI: /api/v1/openapi.json, upload form: http://$GATEWAY/)
  WebSocket    ws://$COLLECTOR/api/v1/job/progress/{JOB_UUID}
  admin token  $STATE/admin_token   (curl -H "Authorization: Bearer \$(cat $STATE/admin_token)" ...)
  logs         $LOGS/
Stop it with: make down
INFO
}

stop() {
    local name=$1 pid
    [ -f "$RUN/$name.pid" ] || return 0
    pid=$(cat "$RUN/$name.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$RUN/$name.pid"
}

# Workers beyond WORKERS left by an earlier `up` are stopped as `down` stops them, so the
# stack runs exactly WORKERS workers; WORKERS=0 runs none (the benchmarks bring their own).
stop_surplus_workers() {
    local pidfile name
    for pidfile in "$RUN"/worker-*.pid; do
        [ -e "$pidfile" ] || continue
        name=$(basename "$pidfile" .pid)
        [ "${name#worker-}" -le "$WORKERS" ] || { echo "$name: stopping (WORKERS=$WORKERS)"; stop "$name"; }
    done
}

# The Pansible processes only; the services keep running.
stop_all() {
    for pidfile in "$RUN"/*.pid; do
        [ -e "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pidfile in "$RUN"/*.pid; do
        [ -e "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
}

down() {
    stop_all
    "$ROOT/scripts/services.sh" down
}

status() {
    for name in gateway splitter collector $(seq -f 'worker-%g' 1 "$WORKERS"); do
        running "$name" && echo "$name: running (pid $(cat "$RUN/$name.pid"))" || echo "$name: stopped"
    done
    "$ROOT/scripts/services.sh" status
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    stop) stop_all ;;
    status) status ;;
    *) echo "usage: $0 up|down|stop|status" >&2; exit 2 ;;
esac
