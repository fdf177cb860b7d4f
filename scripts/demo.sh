#!/usr/bin/env bash
# The main job: starts the stack, registers the example inventory (200 local hosts) and playbook (from a
# local git repository), launches the job with the defaults (cut for the workers' slots, run with Mitogen
# where it is installed) with `pansible job run --follow`, which shows its live progress and ends with the recap.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
STATE=${PANSIBLE_STATE_DIR:-$ROOT/.pansible}
API=http://${PANSIBLE_PORT:-127.0.0.1:5757}
export PANSIBLE_URL=$API
export PANSIBLE_WS_URL=ws://${PANSIBLE_WS_PORT:-127.0.0.1:5858}
PANSIBLE=$ROOT/.build/release/pansible

scripts/stack.sh up
TOKEN=$(cat "$STATE/admin_token")
export PANSIBLE_TOKEN=$TOKEN

# The example playbook, committed into a local git repository as a user's playbook repository would be.
REPO=$STATE/demo/repo
rm -rf "$REPO" && mkdir -p "$REPO"
cp -r examples/playbook/. "$REPO/"
git -C "$REPO" init -q -b main
git -C "$REPO" add -A
git -C "$REPO" -c user.name=pansible -c user.email=demo@pansible.invalid commit -qm "example playbook"
rm -rf /tmp/pansible-demo && mkdir -p /tmp/pansible-demo

inventory_id=$("$PANSIBLE" inventory create --name example_fleet --env demo --version 1.0.0 \
    --hosts examples/inventory/hosts.yml --vars examples/inventory/vars.yml)
playbook_id=$("$PANSIBLE" playbook create --name example_playbook --repo "$REPO" --entry site.yml)
echo "Launching a job of 200 hosts on 2 workers, one shard per worker slot (inventory $inventory_id, playbook $playbook_id):"

status=0
"$PANSIBLE" job run --playbook "$playbook_id" --inventory "$inventory_id" --env demo --follow || status=$?
uuid=$("$PANSIBLE" job list --limit 1 | awk 'NR == 2 { print $1 }')
curl -fsS "$API/api/v1/job/$uuid" -H "Authorization: Bearer $TOKEN" |
    jq -r '"Shards: " + ([.shards[] | "#\(.index) \(.host_count) hosts on \(.worker_id // "?") with \(.strategy // "?") in \(.timings.total // 0 | floor) s"] | join(", "))' || true
cat <<NEXT

Watch it in a browser (the link signs in with the admin token, which the page keeps only in that tab):
  $API/ui/jobs/$uuid#token=$TOKEN

Where to look next (export PANSIBLE_TOKEN=\$(cat $STATE/admin_token)):
  result   .build/release/pansible job result $uuid
  log      .build/release/pansible job log $uuid        (every shard merged, one PLAY RECAP)
  rerun    .build/release/pansible job relaunch $uuid --follow   (its failed hosts, at the same commit)
  logs     $STATE/logs/        stop everything: make down
NEXT
exit $status
