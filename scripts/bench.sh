#!/usr/bin/env bash
# Runs every benchmark in scripts/bench/ in order; each prints its figures beside the obvious alternative.
# Benchmarks build release binaries (swift build -c release) and use the private services (make services-up).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release
for bench in scripts/bench/*.sh; do
    echo "== $(basename "$bench" .sh)"
    bash "$bench"
done
