#!/usr/bin/env bash
# One pass of the built test bundle (Swift Testing) with a deadline:
#   scripts/test-pass.sh DEADLINE [test arguments: --filter, --skip, --no-parallel ...]
# SWIFT_BUILD_FLAGS selects the build, as for `swift build --build-tests`.
#
# The bundle is run directly (line-buffered) rather than through `swift test`, which holds its output back until it exits:
# so a pass whose test process is still running at DEADLINE (a hang: a test awaiting something that never
# comes) can be reported with the tests it had started and not finished. Its processes are then killed and the
# pass runs once more; a second hang fails. A pass that fails is not run again.
set -uo pipefail
deadline=$1
shift
# shellcheck disable=SC2086
bundle="$(swift build --show-bin-path ${SWIFT_BUILD_FLAGS:-})/pansiblePackageTests.xctest"
for attempt in 1 2; do
    log=$(mktemp)
    timeout --kill-after=30s "$deadline" stdbuf -oL -eL "$bundle" --testing-library swift-testing "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    if [ "$status" -ne 124 ] && [ "$status" -ne 137 ]; then
        rm -f "$log"
        exit "$status"
    fi
    echo "test-pass: the test process was still running after $deadline (attempt $attempt of 2); started, not finished:" >&2
    comm -23 \
        <(sed -n 's/^.*◇[^ ]* Test \(.*\) started\.$/\1/p' "$log" | sort -u) \
        <(sed -n 's/^.*\(✔\|✘\)[^ ]* Test \(.*\) \(passed\|failed\) after .*$/\2/p' "$log" | sed 's/ with [0-9]* test cases\{0,1\}$//' | sort -u) |
        grep -vx run | grep -v '^case passing' | sed 's/^/  /' >&2
    pkill -9 -f "$bundle" || true
    rm -f "$log"
done
exit 1
