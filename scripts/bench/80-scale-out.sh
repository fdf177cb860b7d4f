#!/usr/bin/env bash
# Scale-out: "a large job on many workers takes about as long as 20 hosts on one". Machines are emulated with
# CPU cgroups of QUOTA cores each. For each W in WORKER_COUNTS: W cgroups, one pansible-worker in each (its own
# work directory and PANSIBLE_WORKER_ID; the worker and every ansible-playbook it starts are in the cgroup; its
# concurrency is left to the worker, which sizes it from its CPU quota), then one job of HOSTS_PER_WORKER*W
# local hosts x 3 module tasks with default options (no shard or forks option) launched through the REST API
# and timed from just before the POST to the poll that sees the final status. The gateway, splitter and
# collector run unconstrained (scripts/stack.sh up with WORKERS=0; a running stack's own workers are stopped
# meanwhile and started again at the end, a stack this run started is stopped again). The alternative: plain
# `ansible-playbook -f HOSTS_PER_WORKER` on HOSTS_PER_WORKER local hosts inside one such cgroup, before the jobs
# (and once more after them when RUNS > 1).
# Prints per W: T(job) (median of RUNS jobs), T(plain) (median), their ratio (target <= 1.1 at W=4), the
# concurrency each worker chose, the job's shard count and which worker ran which shard. The cgroups are
# removed at the end, also on failure. Fails if a job does not end successful with every host ok > 0 and
# failures = 0. Asserts no timing. Needs root and the cgroup CPU controller (v1 /sys/fs/cgroup/cpu, or v2
# cpu.max under /sys/fs/cgroup or /sys/fs/cgroup/unified).
# Environment: WORKER_COUNTS ("1 2 4 8"), QUOTA (0.25 cores), HOSTS_PER_WORKER (20), RUNS (1), JOB_TIMEOUT
# (3600 s), plus stack.sh's and services.sh's (PANSIBLE_STATE_DIR, BIN_DIR, AMQP_PORT, PG_PORT, PANSIBLE_PORT,
# PANSIBLE_WS_PORT).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
STATE=${PANSIBLE_STATE_DIR:-$ROOT/.pansible}
BIN=${BIN_DIR:-$ROOT/.build/release}
WORKER_COUNTS=${WORKER_COUNTS:-1 2 4 8}
QUOTA=${QUOTA:-0.25}
PER=${HOSTS_PER_WORKER:-20}
RUNS=${RUNS:-1}
JOB_TIMEOUT=${JOB_TIMEOUT:-3600}
PERIOD=100000
QUOTA_US=$(python3 -c 'import sys; print(round(float(sys.argv[1]) * int(sys.argv[2])))' "$QUOTA" "$PERIOD")
[ "$QUOTA_US" -ge 1000 ] || { echo "80-scale-out: QUOTA must be at least 0.01 core" >&2; exit 2; }
[ -x "$BIN/pansible-worker" ] || { echo "80-scale-out: missing $BIN/pansible-worker: run make release" >&2; exit 1; }
api() { python3 "$ROOT/scripts/bench/pansible_api.py" "$@"; }

# The CPU controller: cgroup v1's cpu hierarchy, else cgroup v2 (cpu.max).
if [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
    CGROOT=/sys/fs/cgroup/cpu CGVERSION=1
else
    CGROOT=
    for dir in /sys/fs/cgroup /sys/fs/cgroup/unified; do
        if grep -qw cpu "$dir/cgroup.controllers" 2>/dev/null; then CGROOT=$dir CGVERSION=2 && break; fi
    done
    [ -n "$CGROOT" ] || { echo "80-scale-out: no cgroup CPU controller (v1 /sys/fs/cgroup/cpu or v2 cpu in cgroup.controllers)" >&2; exit 1; }
    grep -qw cpu "$CGROOT/cgroup.subtree_control" || echo +cpu > "$CGROOT/cgroup.subtree_control"
fi

WORK=$(mktemp -d /tmp/pansible-bench-scale.XXXXXX)
RUN=$STATE/run
LOGS=$STATE/logs
mkdir -p "$RUN" "$LOGS"

make_cgroup() {
    local dir=$CGROOT/$1
    mkdir -p "$dir"
    if [ "$CGVERSION" = 1 ]; then
        echo "$PERIOD" > "$dir/cpu.cfs_period_us"
        echo "$QUOTA_US" > "$dir/cpu.cfs_quota_us"
    else
        echo "$QUOTA_US $PERIOD" > "$dir/cpu.max"
    fi
}

# Becomes a command running inside cgroup $1 (call it in a subshell or in the background: the calling shell is
# replaced by a shell that moves itself into the cgroup, then by the command, so $! is the command's pid).
in_cgroup() {
    local dir=$CGROOT/$1
    shift
    exec bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' in-cgroup "$dir" "$@"
}

# Ends what is left in our cgroups (the workers' ansible-playbook runs, when a worker was killed) and removes them.
remove_cgroups() {
    local dir pids
    for dir in "$CGROOT"/pansible-bench-*; do
        [ -d "$dir" ] || continue
        for _ in $(seq 1 50); do
            pids=$(cat "$dir/cgroup.procs") # (cgroup files have no size: read them)
            [ -n "$pids" ] || break
            kill -KILL $pids 2>/dev/null || true
            sleep 0.1
        done
        rmdir "$dir" 2>/dev/null || echo "80-scale-out: could not remove $dir" >&2
    done
}

stop_workers() {
    local pidfile pid
    for pidfile in "$RUN"/scale-w*.pid; do
        [ -e "$pidfile" ] || continue
        kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    done
    for pidfile in "$RUN"/scale-w*.pid; do
        [ -e "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
}

# The stack is left as it was found: stopped again (the services stay), or with its own workers back.
STACK_WAS_UP=
STACK_WORKERS=0
if grep -q '^gateway: running' <<< "$(scripts/stack.sh status)"; then
    STACK_WAS_UP=1
    for pidfile in "$RUN"/worker-*.pid; do
        if [ -e "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then STACK_WORKERS=$((STACK_WORKERS + 1)); fi
    done
fi
cleanup() {
    stop_workers
    remove_cgroups
    if [ -z "$STACK_WAS_UP" ]; then
        scripts/stack.sh stop
    else
        WORKERS=$STACK_WORKERS scripts/stack.sh up >/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
stop_workers # left by a run that was killed
remove_cgroups

WORKERS=0 scripts/stack.sh up >/dev/null
export PANSIBLE_AMQP_URL=${PANSIBLE_AMQP_URL:-amqp://guest:guest@127.0.0.1:${AMQP_PORT:-5672}/}
export PANSIBLE_DATABASE_URL=${PANSIBLE_DATABASE_URL:-postgres://postgres@127.0.0.1:${PG_PORT:-5432}/pansible}
export PANSIBLE_SECRET_KEY=$(cat "$STATE/secret_key")
# The worker sizes its concurrency from its CPU quota: nothing here may choose for it.
unset PANSIBLE_WORKER_CONCURRENCY

# Starts worker I (of the current W) in cgroup pansible-bench-wI and waits until it consumes shards.
start_worker() {
    local i=$1 log=$LOGS/scale-w$1.log pid
    make_cgroup "pansible-bench-w$i"
    : > "$log"
    PANSIBLE_WORKER_WORK_DIR=$WORK/worker-$W-$i PANSIBLE_WORKER_ID=scale-w$i \
        in_cgroup "pansible-bench-w$i" "$BIN/pansible-worker" >> "$log" 2>&1 &
    pid=$!
    echo "$pid" > "$RUN/scale-w$i.pid"
    for _ in $(seq 1 300); do
        grep -q "consuming shards" "$log" && return 0
        kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; echo "80-scale-out: worker scale-w$i exited" >&2; exit 1; }
        sleep 0.2
    done
    echo "80-scale-out: worker scale-w$i not consuming after 60 s (see $log)" >&2
    exit 1
}

# The concurrency worker I says it chose (its "consuming shards" log line).
concurrency() { grep -m1 "consuming shards" "$LOGS/scale-w$1.log" | grep -oE 'concurrency[^0-9]{0,4}[0-9]+' | grep -oE '[0-9]+$' || echo '?'; }

# The playbook repository (the same playbook as 30-worker) and the inventories.
source scripts/bench/playbook.bash
bench_repository "$WORK/repo" >/dev/null
PYTHON=$(ansible-playbook --version | sed -n 's/.*python version = .*(\(\/[^)]*\))$/\1/p')
inventory() { # hosts-file vars-file count
    { echo "all:"; echo "  hosts:"; seq -f '    local%04g:' 1 "$3"; } > "$1"
    printf 'all:\n  ansible_connection: local\n  ansible_python_interpreter: %s\n' "$PYTHON" > "$2"
}
inventory "$WORK/plain.yml" "$WORK/plain-vars.yml" "$PER"
sed 's/^  /    /; s/^all:$/  vars:/' "$WORK/plain-vars.yml" >> "$WORK/plain.yml"

# Plain ansible-playbook on PER hosts inside one cgroup of the same quota; prints its wall seconds.
plain() {
    make_cgroup pansible-bench-plain
    # A shell that joins the cgroup, then becomes ansible-playbook (bench_plain times it from outside).
    bench_plain 80-scale-out "$PER" "$WORK/repo" bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' in-cgroup \
        "$CGROOT/pansible-bench-plain" ansible-playbook -i "$WORK/plain.yml" -f "$PER" site.yml
}

median() { python3 -c 'import statistics, sys; print("%.1f" % statistics.median(map(float, sys.argv[1:])))' "$@"; }
ratio() { python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }

plains=("$(plain)")
rows=()
for W in $WORKER_COUNTS; do
    for i in $(seq 1 "$W"); do start_worker "$i"; done
    hosts=$((PER * W))
    inventory "$WORK/hosts-$W.yml" "$WORK/vars-$W.yml" "$hosts"
    read -r inventory_id playbook_id _ < <(api register --env bench --name "bench-scale-$W-$(date +%Y%m%d%H%M%S)-$$" \
        --hosts-file "$WORK/hosts-$W.yml" --vars-file "$WORK/vars-$W.yml" --repo "$WORK/repo" --entry site.yml)
    walls=()
    for run in $(seq 1 "$RUNS"); do
        walls+=("$(api job --env bench --inventory-id "$inventory_id" --playbook-id "$playbook_id" --hosts "$hosts" \
            --report "$WORK/report-$W.json" --timeout "$JOB_TIMEOUT")")
    done
    chosen=$(for i in $(seq 1 "$W"); do concurrency "$i"; done | sort | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')
    rows+=("$W|$hosts|${walls[*]}|$chosen")
    api shards "$WORK/report-$W.json" --indent "    " > "$WORK/shards-$W.txt"
    stop_workers
    remove_cgroups
done
[ "$RUNS" -le 1 ] || plains+=("$(plain)")
remove_cgroups

T_PLAIN=$(median "${plains[@]}")
echo "scale-out: $PER local hosts x 3 module tasks per worker, each worker a cgroup of $QUOTA core (cgroup v$CGVERSION);" \
    "one job of $PER*W hosts with default options, launch to final status; medians of $RUNS run(s)"
echo "  alternative: ansible-playbook -f $PER on $PER hosts in one $QUOTA-core cgroup: $T_PLAIN s (runs: ${plains[*]})"
printf "  %3s  %6s  %9s  %10s  %6s  %s\n" W hosts "T(job) s" "T(plain) s" ratio "worker concurrency"
for row in "${rows[@]}"; do
    IFS='|' read -r W hosts walls chosen <<< "$row"
    read -ra each <<< "$walls"
    t=$(median "${each[@]}")
    target=$([ "$W" = 4 ] && echo "  (target <= 1.1)" || true)
    printf "  %3s  %6s  %9s  %10s  %6s  %s%s\n" "$W" "$hosts" "$t" "$T_PLAIN" "$(ratio "$t" "$T_PLAIN")" "$chosen" "$target"
done
for W in $WORKER_COUNTS; do
    echo "  W=$W, last job:"
    cat "$WORK/shards-$W.txt"
done
