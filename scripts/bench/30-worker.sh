#!/usr/bin/env bash
# Worker overhead: the same playbook (HOSTS local hosts x 3 module tasks) run by plain `ansible-playbook -f 50`,
# by one worker as one shard (callback plugin, event tailing, batching, confirmed publishing to RabbitMQ),
# and by the worker with the Mitogen strategy. Prints wall and CPU seconds (Ansible's included) of each,
# the ratios to plain Ansible, and the CPU seconds of the worker process itself (Ansible excluded).
# Needs RabbitMQ (AMQP_PORT, default 5672; `make bench` starts it) and, for the Mitogen row, `pip install mitogen`.
# Environment: HOSTS (200), PANSIBLE_BIN_DIR (.build/release, else .build/debug).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
HOSTS=${HOSTS:-200}
AMQP_PORT=${AMQP_PORT:-5672}
BIN=${PANSIBLE_BIN_DIR:-$ROOT/.build/release}
[ -x "$BIN/pansible-worker" ] || BIN=$ROOT/.build/debug
[ -x "$BIN/pansible-worker" ] || { echo "30-worker: build pansible-worker first (swift build)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/pansible-bench-worker.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# The playbook repository and the inventories (INI for plain Ansible, the YAML-inventory structure in a shard message).
source scripts/bench/playbook.bash
COMMIT=$(bench_repository "$WORK/repo")
PYTHON=$(ansible-playbook --version | sed -n 's/.*python version = .*(\(\/[^)]*\))$/\1/p')
python3 - "$WORK" "$HOSTS" "$COMMIT" "$PYTHON" <<'PY'
import json, sys, uuid
work, hosts, commit, python = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
names = ["h%04d" % i for i in range(hosts)]
vars = {"ansible_connection": "local", "ansible_python_interpreter": python}
with open(f"{work}/hosts.ini", "w") as f:
    f.write("[all]\n" + "".join(f"{n} ansible_connection=local ansible_python_interpreter={python}\n" for n in names))
shard = {
    "schema": 1, "job_uuid": str(uuid.uuid4()), "job_id": 1, "index": 0, "count": 1, "pool": "bench",
    "playbook": {"id": 1, "name": "bench", "git_repo": f"{work}/repo", "entry": "site.yml", "commit": commit},
    "inventory": {"all": {"hosts": {n: vars for n in names}}},
    "hosts": names, "options": {"forks": 50},
}
json.dump(shard, open(f"{work}/shard.json", "w"))
PY

# Prints "WALL CPU" of a command (CPU = user + system of it and every child it waited for).
measure() {
    local out=$WORK/time.$$
    /usr/bin/time -f "%e %U %S" -o "$out" "$@" > "$WORK/last.out" 2> "$WORK/last.err" || { cat "$WORK/last.err" >&2; return 1; }
    awk '{ printf "%.1f %.1f\n", $1, $2 + $3 }' "$out"
}

export PANSIBLE_AMQP_URL="amqp://guest:guest@127.0.0.1:$AMQP_PORT/"
export PANSIBLE_WORKER_WORK_DIR="$WORK/worker" PANSIBLE_WORKER_CALLBACK_PLUGINS="$ROOT/callback_plugins" PANSIBLE_LOG_LEVEL=warning
export PANSIBLE_WORKER_ID=bench

read -r plain_wall plain_cpu < <(cd "$WORK/repo" && measure ansible-playbook -i "$WORK/hosts.ini" -f 50 site.yml)
read -r worker_wall worker_cpu < <(PANSIBLE_WORKER_MITOGEN=false measure "$BIN/pansible-worker" --shard-file "$WORK/shard.json")
worker_report=$(cat "$WORK/last.out")
read -r mitogen_wall mitogen_cpu < <(PANSIBLE_WORKER_MITOGEN=true measure "$BIN/pansible-worker" --shard-file "$WORK/shard.json")
mitogen_report=$(cat "$WORK/last.out")
mitogen_used=$(grep -c "Mitogen disabled" "$WORK/last.err" || true)

own() { python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("%.2f s, %d events, %s" % (r["worker_cpu_seconds"], r["events"], r["final_event"]))' "$1"; }
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
echo "worker: $HOSTS local hosts x 3 module tasks, forks 50 ($(basename "$BIN") binaries)"
printf "  %-34s wall %6ss  cpu %6ss\n" "ansible-playbook -f 50" "$plain_wall" "$plain_cpu"
printf "  %-34s wall %6ss  cpu %6ss  wall ratio %s (target <= 1.05)  cpu ratio %s\n" "worker, one shard" "$worker_wall" "$worker_cpu" \
    "$(ratio "$worker_wall" "$plain_wall")" "$(ratio "$worker_cpu" "$plain_cpu")"
printf "  %-34s wall %6ss  cpu %6ss  wall ratio %s (target <= 0.5)  cpu ratio %s%s\n" "worker, one shard, Mitogen" "$mitogen_wall" "$mitogen_cpu" \
    "$(ratio "$mitogen_wall" "$plain_wall")" "$(ratio "$mitogen_cpu" "$plain_cpu")" "$([ "$mitogen_used" = 0 ] || echo '  (Mitogen unavailable: ran plain)')"
echo "  worker process itself (Ansible excluded): $(own "$worker_report"); with Mitogen: $(own "$mitogen_report")"
