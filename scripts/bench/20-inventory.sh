#!/usr/bin/env bash
# Inventory expansion: `pansible-splitter expand` vs `ansible-inventory --list` on a generated 100,000-host
# inventory (100 groups given as ranges, nested groups, group vars), checking that both print the same
# inventory (parsed JSON, `_meta.profile` aside); then the time to shard the 100,000 hosts into 2,000 shard
# messages (broker excluded, `pansible-bench-shard`). Needs a release build (swift build -c release) and ansible-core.
set -euo pipefail
cd "$(dirname "$0")/../.."
splitter=.build/release/pansible-splitter
bench=.build/release/pansible-bench-shard
[ -x "$splitter" ] && [ -x "$bench" ] || { echo "build first: swift build -c release" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/bench/generate-inventory.py "$work/inventory.yml"

now() { python3 -c 'import time; print(time.monotonic())'; }
t0=$(now)
"$splitter" expand --inventory "$work/inventory.yml" > "$work/pansible.json"
t1=$(now)
ANSIBLE_INVENTORY_ENABLED=yaml ansible-inventory -i "$work/inventory.yml" --list > "$work/ansible.json" 2> "$work/ansible.err"
t2=$(now)

python3 - "$work/pansible.json" "$work/ansible.json" "$t0" "$t1" "$t2" <<'PY'
import json, sys
ours, theirs = (json.load(open(p)) for p in sys.argv[1:3])
for doc in (ours, theirs):
    doc["_meta"].pop("profile", None)
t0, t1, t2 = map(float, sys.argv[3:6])
hosts = len(theirs["_meta"]["hostvars"])
same = json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True)
p, a = t1 - t0, t2 - t1
print(f"expand {hosts} hosts: pansible-splitter {p:.2f} s, ansible-inventory {a:.2f} s, ratio {a / p:.1f}x faster, "
      f"identical output: {'yes' if same else 'NO'}")
sys.exit(0 if same else 1)
PY
"$bench" --inventory "$work/inventory.yml" --shards 2000
