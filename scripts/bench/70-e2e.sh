#!/usr/bin/env bash
# The whole job, launch to final status: one job of HOSTS hosts x 3 module tasks launched through the REST API
# on the stack (release binaries, its default configuration and worker count; the job carries no shard or
# forks option), timed from just before POST /api/v1/job to the poll of GET /api/v1/job/{uuid} (every 0.2 s)
# that sees the final status, beside plain ansible-playbook on the same hosts in the same run:
#   Pansible, stack defaults          vs  ansible-playbook -f 50                      (target ratio <= 0.3)
#   Pansible, stack defaults          vs  ansible-playbook -f 50, Mitogen strategy    (same strategy, <= 1.0)
#   Pansible, job "mitogen": false    vs  ansible-playbook -f 50                      (informational)
# Every run measures the four in that order (so each pair alternates A B A B over the runs); the ratios are of
# medians. Then, from the last run's final GET /api/v1/job/{uuid}: the shard count, which worker ran which
# shard, and each shard's "strategy" and "timings" (min/median/max per key) when the API gives them.
# TARGET=local: ansible_connection local. TARGET=ssh: the SSH fleet of scripts/ssh-fleet.sh (started here),
# its client key uploaded as a credential for Pansible and given with --private-key to plain Ansible; every
# session is ended before each measured run, so no run reuses another's ControlPersist connections. The fleet
# is stopped at the end if this run started it.
# Fails, saying why, if a job does not end successful with every host ok > 0 and failures = 0, or a plain run
# fails. Asserts no timing. Starts the services and the stack (scripts/stack.sh up); the stack's processes are
# stopped again at the end if it was not running before (the services stay).
# Environment: HOSTS (400), RUNS (1), TARGET (local), JOB_TIMEOUT (3600 s), plus stack.sh's and services.sh's
# (PANSIBLE_STATE_DIR, BIN_DIR, WORKERS, AMQP_PORT, PG_PORT, PANSIBLE_PORT, PANSIBLE_WS_PORT) and, for
# TARGET=ssh, ssh-fleet.sh's SSH_PORT.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
STATE=${PANSIBLE_STATE_DIR:-$ROOT/.pansible}
HOSTS=${HOSTS:-400}
RUNS=${RUNS:-1}
TARGET=${TARGET:-local}
JOB_TIMEOUT=${JOB_TIMEOUT:-3600}
case "$TARGET" in local | ssh) ;; *) echo "70-e2e: TARGET must be local or ssh" >&2; exit 2 ;; esac
export HOSTS
WORK=$(mktemp -d /tmp/pansible-bench-e2e.XXXXXX)
STACK_WAS_UP=
! grep -q '^gateway: running' <<< "$(scripts/stack.sh status)" || STACK_WAS_UP=1
FLEET_WAS_UP=
[ "$TARGET" != ssh ] || grep -q ': 0 of ' <<< "$(scripts/ssh-fleet.sh status)" || FLEET_WAS_UP=1
cleanup() {
    # The stack's Pansible processes are stopped again if this run started them (the services stay).
    [ -n "$STACK_WAS_UP" ] || scripts/stack.sh stop
    # The SSH fleet is stopped again if this run started it; otherwise only the sessions it left are ended.
    if [ "$TARGET" = ssh ]; then
        if [ -z "$FLEET_WAS_UP" ]; then scripts/ssh-fleet.sh down >/dev/null; else scripts/ssh-fleet.sh disconnect; fi
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
api() { python3 "$ROOT/scripts/bench/pansible_api.py" "$@"; }

PYTHON=$(ansible-playbook --version | sed -n 's/.*python version = .*(\(\/[^)]*\))$/\1/p')
MITOGEN_STRATEGIES=$("$PYTHON" -c 'import os, ansible_mitogen.plugins.strategy as s; print(os.path.dirname(s.__file__))' 2>/dev/null || true)

scripts/stack.sh up >/dev/null

# The playbook repository (the same playbook as 30-worker).
source scripts/bench/playbook.bash
bench_repository "$WORK/repo" >/dev/null

# One YAML inventory for plain Ansible; Pansible gets its hosts and its `all` variables as hosts and vars.
PRIVATE_KEY=()
if [ "$TARGET" = ssh ]; then
    scripts/ssh-fleet.sh up >/dev/null
    scripts/ssh-fleet.sh inventory > "$WORK/inventory.yml"
    KEY=$(cd "$STATE" && pwd)/ssh-fleet/id_ed25519
    PRIVATE_KEY=(--private-key "$KEY")
else
    {
        echo "all:"
        echo "  hosts:"
        seq -f '    local%04g:' 1 "$HOSTS"
        echo "  vars:"
        echo "    ansible_connection: local"
        echo "    ansible_python_interpreter: $PYTHON"
    } > "$WORK/inventory.yml"
fi
sed '/^  vars:$/,$d' "$WORK/inventory.yml" > "$WORK/hosts.yml"
{ echo "all:"; sed -n '/^  vars:$/,$p' "$WORK/inventory.yml" | tail -n +2 | sed 's/^  //'; } > "$WORK/vars.yml"

NAME=bench-e2e-$TARGET-$HOSTS-$(date +%Y%m%d%H%M%S)-$$
read -r INVENTORY_ID PLAYBOOK_ID CREDENTIAL_ID < <(api register --env bench --name "$NAME" --hosts-file "$WORK/hosts.yml" \
    --vars-file "$WORK/vars.yml" --repo "$WORK/repo" --entry site.yml ${KEY:+--ssh-key "$KEY"})
CREDENTIAL=()
[ "$CREDENTIAL_ID" = - ] || CREDENTIAL=(--credential-id "$CREDENTIAL_ID")

# Every measured run starts without SSH connections left by the previous one.
fresh() { [ "$TARGET" != ssh ] || scripts/ssh-fleet.sh disconnect; }

# Prints the wall seconds of one Pansible job; $1 names its report, the rest are job options (KEY=JSON).
pansible() {
    local report=$WORK/report-$1.json options=() option
    shift
    for option in "$@"; do options+=(--option "$option"); done
    fresh
    api job --env bench --inventory-id "$INVENTORY_ID" --playbook-id "$PLAYBOOK_ID" "${CREDENTIAL[@]}" "${options[@]}" \
        --hosts "$HOSTS" --report "$report" --timeout "$JOB_TIMEOUT"
}

# Prints the wall seconds of plain ansible-playbook -f 50 on the same inventory:
#   plain [VAR=value ...] [-- more ansible-playbook arguments]
plain() {
    local environment=() arguments=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do environment+=("$1"); shift; done
    [ $# -eq 0 ] || { shift; arguments=("$@"); }
    fresh
    bench_plain 70-e2e "$HOSTS" "$WORK/repo" env "${environment[@]}" \
        ansible-playbook -i "$WORK/inventory.yml" -f 50 "${PRIVATE_KEY[@]}" "${arguments[@]}" site.yml
}

# Under Mitogen every local-connection host shares one interpreter that runs one task at a time, unless each
# task is forked: Pansible's plugin forks them, and the plain Mitogen run is given the same setting.
MITOGEN_ARGUMENTS=()
[ "$TARGET" != local ] || MITOGEN_ARGUMENTS=(-- -e mitogen_task_isolation=fork)

default=() plain50=() nomitogen=() mitogen=()
for run in $(seq 1 "$RUNS"); do
    default+=("$(pansible "default-$run")")
    plain50+=("$(plain)")
    nomitogen+=("$(pansible "nomitogen-$run" mitogen=false)")
    if [ -n "$MITOGEN_STRATEGIES" ]; then
        mitogen+=("$(plain ANSIBLE_STRATEGY_PLUGINS="$MITOGEN_STRATEGIES" ANSIBLE_STRATEGY=mitogen_linear "${MITOGEN_ARGUMENTS[@]}")")
    fi
done

median() { python3 -c 'import statistics, sys; print("%.1f" % statistics.median(map(float, sys.argv[1:])))' "$@"; }
ratio() { python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }
row() { # label, pansible times, alternative label, alternative times, target
    local label=$1 alt=$3 target=$5 a b
    read -ra a <<< "$2"
    read -ra b <<< "$4"
    printf "  %-30s %7s s  vs  %-34s %7s s  ratio %s (%s)\n" "$label" "$(median "${a[@]}")" "$alt" "$(median "${b[@]}")" \
        "$(ratio "$(median "${a[@]}")" "$(median "${b[@]}")")" "$target"
}

WHAT="$HOSTS $([ "$TARGET" = ssh ] && echo "SSH hosts (ssh-fleet)" || echo "local hosts") x 3 module tasks"
WORKER_COUNT=$(find "$STATE/run" -name 'worker-*.pid' | wc -l)
echo "e2e: $WHAT, launch through the API to the final status, $WORKER_COUNT workers with the stack's defaults;" \
    "medians of $RUNS run(s)"
row "Pansible, stack defaults" "${default[*]}" "ansible-playbook -f 50" "${plain50[*]}" "target <= 0.3"
if [ -n "$MITOGEN_STRATEGIES" ]; then
    row "Pansible, stack defaults" "${default[*]}" "ansible-playbook -f 50, Mitogen" "${mitogen[*]}" "same strategy, target <= 1.0"
else
    echo "  (Mitogen is not installed for $PYTHON: no same-strategy row)"
fi
row 'Pansible, "mitogen": false' "${nomitogen[*]}" "ansible-playbook -f 50" "${plain50[*]}" "informational"
if [ "$RUNS" -gt 1 ]; then
    echo "  every run, s: Pansible defaults ${default[*]}; plain ${plain50[*]}; Pansible no Mitogen ${nomitogen[*]}${mitogen:+; plain Mitogen ${mitogen[*]}}"
fi
echo "  last job with the stack defaults:"
api shards "$WORK/report-default-$RUNS.json" --indent "    "
echo "  last job with \"mitogen\": false:"
api shards "$WORK/report-nomitogen-$RUNS.json" --indent "    "
