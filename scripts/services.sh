#!/usr/bin/env bash
# Starts or stops a private RabbitMQ node and PostgreSQL cluster on loopback for local runs and tests.
#   scripts/services.sh up|down|status|restart-rabbitmq|stop-rabbitmq|start-rabbitmq|stop-postgres|start-postgres
#   scripts/services.sh add-vhost|delete-vhost|purge-queue NAME, list-consumers VHOST
#   scripts/services.sh eval EXPRESSION   (an Erlang expression on the RabbitMQ node, e.g. its settings)
# Environment: PANSIBLE_STATE_DIR (default ./.pansible), AMQP_PORT (5672), PG_PORT (5432).
# Re-running `up` on a running stack is a no-op.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=${PANSIBLE_STATE_DIR:-$ROOT/.pansible}
AMQP_PORT=${AMQP_PORT:-5672}
PG_PORT=${PG_PORT:-5432}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
RMQ_DIR=$STATE/rabbitmq
PG_DIR=$STATE/postgres
NODE=pansible-$AMQP_PORT@localhost
RMQ_SBIN=/usr/lib/rabbitmq/bin

mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
RMQ_DIR=$STATE/rabbitmq
PG_DIR=$STATE/postgres

rmq_env() {
    export RABBITMQ_NODENAME=$NODE RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$AMQP_PORT \
        RABBITMQ_DIST_PORT=$((AMQP_PORT + 20000)) \
        RABBITMQ_MNESIA_BASE=$RMQ_DIR/data RABBITMQ_LOG_BASE=$RMQ_DIR/log \
        RABBITMQ_ENABLED_PLUGINS_FILE=$RMQ_DIR/enabled_plugins RABBITMQ_CONFIG_FILE=$RMQ_DIR/rabbitmq \
        HOME=$RMQ_DIR
}

port_open() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

wait_port() {
    local port=$1 what=$2 i
    for i in $(seq 1 300); do
        port_open "$port" && return 0
        sleep 0.2
    done
    echo "services: $what did not open port $port within 60 s" >&2
    return 1
}

rabbitmq_up() {
    if port_open "$AMQP_PORT"; then echo "rabbitmq: already listening on 127.0.0.1:$AMQP_PORT"; return 0; fi
    mkdir -p "$RMQ_DIR/data" "$RMQ_DIR/log"
    [ -f "$RMQ_DIR/enabled_plugins" ] || echo '[].' > "$RMQ_DIR/enabled_plugins"
    # Loopback guest access is RabbitMQ's default; keep the node quiet and small.
    # consumer_timeout (ms): the broker closes a channel holding a delivery unacknowledged longer than this,
    # and every shard on it runs again. A shard is acked when its run ends, so this must outlast the longest
    # shard: 8 days, above the 7-day ceiling of a job's timeout and worker.timeout (docs/worker.md).
    cat > "$RMQ_DIR/rabbitmq.conf" <<CONF
loopback_users.guest = true
consumer_timeout = 691200000
log.console = false
log.file.level = warning
vm_memory_high_watermark.relative = 0.4
disk_free_limit.absolute = 50MB
CONF
    rmq_env
    "$RMQ_SBIN/rabbitmq-server" -detached >/dev/null 2>&1 || true
    wait_port "$AMQP_PORT" rabbitmq
    "$RMQ_SBIN/rabbitmqctl" -q -n "$NODE" await_startup >/dev/null
    echo "rabbitmq: ready on amqp://guest:guest@127.0.0.1:$AMQP_PORT/"
}

rabbitmq_down() {
    rmq_env
    if port_open "$AMQP_PORT" || "$RMQ_SBIN/rabbitmqctl" -q -n "$NODE" status >/dev/null 2>&1; then
        "$RMQ_SBIN/rabbitmqctl" -q -n "$NODE" shutdown >/dev/null 2>&1 || true
    fi
    echo "rabbitmq: stopped"
}

pg() { su postgres -s /bin/sh -c "$*"; }

postgres_up() {
    if port_open "$PG_PORT"; then echo "postgres: already listening on 127.0.0.1:$PG_PORT"; return 0; fi
    mkdir -p "$PG_DIR"
    chown postgres: "$PG_DIR"
    # The postgres user must be able to traverse every parent of the data directory.
    local d=$PG_DIR
    while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
        pg "'$PG_BIN/initdb' -D '$PG_DIR/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
    fi
    pg "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -l '$PG_DIR/log' -w -t 60 start -o \"-p $PG_PORT -k '$PG_DIR' -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on\"" >/dev/null
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='pansible'" | grep -q 1 ||
        psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'create database pansible'
    echo "postgres: ready on postgres://postgres@127.0.0.1:$PG_PORT/pansible"
}

postgres_down() {
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        pg "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -m fast -w stop" >/dev/null 2>&1 || true
    fi
    echo "postgres: stopped"
}

case "${1:-}" in
    up) rabbitmq_up; postgres_up ;;
    down) rabbitmq_down; postgres_down ;;
    status)
        port_open "$AMQP_PORT" && echo "rabbitmq: up ($AMQP_PORT)" || echo "rabbitmq: down ($AMQP_PORT)"
        port_open "$PG_PORT" && echo "postgres: up ($PG_PORT)" || echo "postgres: down ($PG_PORT)" ;;
    stop-rabbitmq) rmq_env; "$RMQ_SBIN/rabbitmqctl" -q -n "$NODE" stop_app ;;
    start-rabbitmq) rmq_env; "$RMQ_SBIN/rabbitmqctl" -q -n "$NODE" start_app; wait_port "$AMQP_PORT" rabbitmq ;;
    add-vhost)
        # A private virtual host (tests isolate their queues this way); guest gets every right on it.
        rmq_env; "$RMQ_SBIN/rabbitmqctl" -q -n "$NODE" add_vhost "$2" >/dev/null 2>&1 || true
        "$RMQ_SBIN/rabbitmqctl" -q -n "$NODE" set_permissions -p "$2" guest '.*' '.*' '.*' >/dev/null ;;
    list-consumers) rmq_env; "$RMQ_SBIN/rabbitmqctl" -q -n "$NODE" list_consumers -p "$2" queue_name ack_required prefetch_count ;;
    purge-queue) rmq_env; "$RMQ_SBIN/rabbitmqctl" -q -n "$NODE" purge_queue "$2" >/dev/null ;;
    eval) rmq_env; "$RMQ_SBIN/rabbitmqctl" -q -n "$NODE" eval "$2" ;;
    delete-vhost) rmq_env; "$RMQ_SBIN/rabbitmqctl" -q -n "$NODE" delete_vhost "$2" >/dev/null 2>&1 || true ;;
    stop-postgres) postgres_down ;;
    start-postgres) postgres_up ;;
    *) echo "usage: $0 up|down|status|stop-rabbitmq|start-rabbitmq|add-vhost NAME|delete-vhost NAME|purge-queue NAME|eval EXPRESSION|stop-postgres|start-postgres" >&2; exit 2 ;;
esac
