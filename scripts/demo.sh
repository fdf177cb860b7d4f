#!/usr/bin/env bash
# The main job: starts the stack, registers the example inventory (200 local hosts) and playbook (from a
# local git repository), launches the job with the defaults (cut for the workers' slots, run with Mitogen
# where it is installed) and follows its live progress to the recap.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
STATE=${PANSIBLE_STATE_DIR:-$ROOT/.pansible}
API=http://${PANSIBLE_PORT:-127.0.0.1:5757}
WS=ws://${PANSIBLE_WS_PORT:-127.0.0.1:5858}

scripts/stack.sh up
TOKEN=$(cat "$STATE/admin_token")

# The example playbook, committed into a local git repository as a user's playbook repository would be.
REPO=$STATE/demo/repo
rm -rf "$REPO" && mkdir -p "$REPO"
cp -r examples/playbook/. "$REPO/"
git -C "$REPO" init -q -b main
git -C "$REPO" add -A
git -C "$REPO" -c user.name=pansible -c user.email=demo@pansible.invalid commit -qm "example playbook"
rm -rf /tmp/pansible-demo && mkdir -p /tmp/pansible-demo

api() {
    local method=$1 path=$2 body=${3:-}
    curl -fsS -X "$method" "$API$path" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${body:+--data "$body"}
}

inventory=$(jq -n --rawfile hosts examples/inventory/hosts.yml --rawfile vars examples/inventory/vars.yml \
    '{name: "example_fleet", env: "demo", version: "1.0.0", hosts: $hosts, vars: $vars}')
inventory_id=$(api POST /api/v1/inventory "$inventory" | jq -r .id)
playbook_id=$(api POST /api/v1/playbook "$(jq -n --arg repo "$REPO" '{name: "example_playbook", git_repo: $repo, entry: "site.yml"}')" | jq -r .id)
job=$(api POST /api/v1/job "$(jq -n --argjson p "$playbook_id" --argjson i "$inventory_id" '{env: "demo", playbook_id: $p, inventory_id: $i}')")
uuid=$(echo "$job" | jq -r .uuid)
echo "Launched job $uuid: 200 hosts on 2 workers, one shard per worker slot (inventory $inventory_id, playbook $playbook_id)"

status=0
python3 scripts/progress.py --ws "$WS" --api "$API" --token "$TOKEN" "$uuid" || status=$?
api GET "/api/v1/job/$uuid" | jq -r '"Shards: " + ([.shards[] | "#\(.index) \(.host_count) hosts on \(.worker_id // "?") with \(.strategy // "?") in \(.timings.total // 0 | floor) s"] | join(", "))' || true
cat <<NEXT

Where to look next:
  result   curl -H "Authorization: Bearer \$(cat $STATE/admin_token)" $API/api/v1/job/result/$uuid
  job      curl -H "Authorization: Bearer \$(cat $STATE/admin_token)" $API/api/v1/job/$uuid
  log      curl -H "Authorization: Bearer \$(cat $STATE/admin_token)" $API/api/v1/job/$uuid/stdout
  logs     $STATE/logs/        stop everything: make down
NEXT
exit $status
