# Sourced by the collector benchmarks: runs `pansible-bench-collector <benchmark> ARGS…` (release build) on a
# private virtual host (created, then removed) and a fresh database beside PANSIBLE_DATABASE_URL's.
# Needs the broker on AMQP_PORT (default 5672) and PostgreSQL on PG_PORT (default 5432).
export AMQP_PORT=${AMQP_PORT:-5672} PG_PORT=${PG_PORT:-5432}
bench_vhosts=()
trap 'for v in "${bench_vhosts[@]}"; do scripts/services.sh delete-vhost "$v" >/dev/null; done' EXIT

run_collector_bench() {
    local bench=.build/release/pansible-bench-collector vhost status=0
    [ -x "$bench" ] || { echo "build first: swift build -c release" >&2; return 1; }
    vhost="bench-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
    scripts/services.sh add-vhost "$vhost" >/dev/null
    bench_vhosts+=("$vhost")
    "$bench" "$@" \
        --amqp-url "amqp://guest:guest@127.0.0.1:$AMQP_PORT/$vhost" \
        --database-url "${PANSIBLE_DATABASE_URL:-postgres://postgres@127.0.0.1:$PG_PORT/postgres}" || status=$?
    return $status
}
