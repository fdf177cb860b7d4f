#!/usr/bin/env bash
# Runs every benchmark in scripts/bench/ in order; each prints its figures beside the obvious alternative.
# Benchmarks build release binaries (swift build -c release) and use the private services (make services-up).
# Environment: BENCH, to run a subset: names or name prefixes separated by spaces or commas
# (`make bench BENCH=70-e2e`, `BENCH="70 80" scripts/bench.sh`).
set -euo pipefail
cd "$(dirname "$0")/.."
selected() {
    local name=$1 word
    [ -n "${BENCH:-}" ] || return 0
    for word in ${BENCH//,/ }; do
        [[ $name == "$word"* ]] && return 0
    done
    return 1
}
ran=0
swift build -c release
for bench in scripts/bench/*.sh; do
    name=$(basename "$bench" .sh)
    selected "$name" || continue
    echo "== $name"
    bash "$bench"
    ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "bench: no benchmark in scripts/bench/ matches BENCH='$BENCH'" >&2; exit 1; }
