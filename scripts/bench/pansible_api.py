#!/usr/bin/env python3
"""Drives Pansible's REST API for the whole-job benchmarks (70-e2e, 80-scale-out). Standard library only.

  pansible_api.py register --env ENV --name NAME --hosts-file F [--vars-file F] --repo DIR [--entry site.yml] [--ssh-key F]
      registers an inventory, a playbook (from a git repository, a local path is fine) and, with --ssh-key, a
      credential holding that private key; prints "INVENTORY_ID PLAYBOOK_ID CREDENTIAL_ID" (CREDENTIAL_ID "-" without).
  pansible_api.py job --env ENV --inventory-id I --playbook-id P [--credential-id C] [--option KEY=JSON ...]
                      --hosts N --report FILE [--timeout S]
      launches one job with exactly those fields, polls GET /api/v1/job/{uuid} every 0.2 s until the status is
      final, and prints the wall seconds from just before the POST to the poll that saw the final status. Exits
      non-zero, saying why, unless the job ends successful and GET /api/v1/job/result/{uuid} shows N hosts, each
      with ok > 0 and failures = 0. FILE gets the final job and its shard_finished events (JSON).
  pansible_api.py shards REPORT [--indent S]
      prints the job's shard count, which worker ran which shard, and each shard's "strategy" and "timings"
      (min/median/max per key over shards) when the API gives them.

Common options: --api (default http://$PANSIBLE_PORT, else 127.0.0.1:5757), --token-file (default
$PANSIBLE_STATE_DIR/admin_token, else .pansible/admin_token).
"""
import argparse
import collections
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.request

FINAL = {"successful", "failed", "error", "canceled"}


class API:
    def __init__(self, base, token):
        self.base = base.rstrip("/")
        self.token = token

    def call(self, method, path, body=None, retry_for=0.0):
        """JSON in and out; retries connection errors and 503 for up to `retry_for` seconds."""
        data = None if body is None else json.dumps(body).encode()
        deadline = time.monotonic() + retry_for
        while True:
            request = urllib.request.Request(self.base + path, data=data, method=method)
            request.add_header("Authorization", "Bearer " + self.token)
            if data is not None:
                request.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    text = response.read()
                    return json.loads(text) if text else None
            except urllib.error.HTTPError as error:
                detail = error.read().decode(errors="replace")
                if error.code == 503 and time.monotonic() < deadline:
                    time.sleep(0.5)
                    continue
                sys.exit(f"pansible_api: {method} {path} answered {error.code}: {detail}")
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                if time.monotonic() < deadline:
                    time.sleep(0.5)
                    continue
                sys.exit(f"pansible_api: {method} {path} failed: {error}")


def register(api, args):
    hosts = open(args.hosts_file).read()
    inventory = {"name": args.name, "env": args.env, "version": "1", "hosts": hosts}
    if args.vars_file:
        inventory["vars"] = open(args.vars_file).read()
    inventory_id = api.call("POST", "/api/v1/inventory", inventory)["id"]
    playbook = {"name": args.name, "git_repo": args.repo, "entry": args.entry}
    playbook_id = api.call("POST", "/api/v1/playbook", playbook)["id"]
    credential_id = "-"
    if args.ssh_key:
        credential = {"name": args.name, "ssh_private_key": open(args.ssh_key).read()}
        credential_id = api.call("POST", "/api/v1/credential", credential)["id"]
    print(inventory_id, playbook_id, credential_id)


def shard_finished_events(api, uuid):
    events, after = [], 0
    while True:
        page = api.call("GET", f"/api/v1/job/{uuid}/events?type=shard_finished&limit=1000&after={after}", retry_for=30)
        events += page.get("events", [])
        if not page.get("next"):
            return events
        after = page["next"]


def job(api, args):
    body = {"env": args.env, "playbook_id": args.playbook_id, "inventory_id": args.inventory_id}
    if args.credential_id:
        body["credential_id"] = args.credential_id
    for option in args.option:
        key, _, value = option.partition("=")
        body[key] = json.loads(value)
    started = time.monotonic()
    launched = api.call("POST", "/api/v1/job", body)
    uuid = launched["uuid"]
    deadline = started + args.timeout
    while True:
        state = api.call("GET", f"/api/v1/job/{uuid}", retry_for=30)
        if state.get("status") in FINAL:
            wall = time.monotonic() - started
            break
        if time.monotonic() > deadline:
            api.call("POST", f"/api/v1/job/{uuid}/cancel")
            sys.exit(f"pansible_api: job {uuid} still {state.get('status')} after {args.timeout} s; cancelled")
        time.sleep(0.2)
    report = {"uuid": uuid, "wall": wall, "request": body, "job": state, "shard_finished": []}
    try:
        report["shard_finished"] = shard_finished_events(api, uuid)
    finally:
        with open(args.report, "w") as f:
            json.dump(report, f)
    if state["status"] != "successful":
        problems = [
            f"shard {s.get('index')}: {s.get('status')} {s.get('reason') or ''}".rstrip()
            for s in state.get("shards", []) if s.get("status") != "successful"
        ]
        sys.exit(f"pansible_api: job {uuid} ended {state['status']} ({state.get('status_reason') or 'no reason given'});"
                 + f" hosts {json.dumps(state.get('hosts'))}" + "".join("\n  " + p for p in problems[:10]))
    result = api.call("GET", f"/api/v1/job/result/{uuid}", retry_for=30)
    bad = []
    for host, entry in sorted(result.items()):
        stats = (entry or {}).get("stats")
        if not stats:
            bad.append(f"{host}: no summary")
        elif not (stats.get("ok", 0) > 0 and stats.get("failed", 0) == 0 and not stats.get("unreachable")):
            bad.append(f"{host}: ok={stats.get('ok')} failed={stats.get('failed')} unreachable={stats.get('unreachable')}")
    if len(result) != args.hosts:
        bad.insert(0, f"{len(result)} hosts in the result, expected {args.hosts}")
    if bad:
        sys.exit(f"pansible_api: job {uuid} ended successful but its result is wrong ({len(bad)} problems):"
                 + "".join("\n  " + b for b in bad[:10]))
    print(f"{wall:.2f}")


def spread(values):
    return "%s / %s / %s" % tuple(f"{v:.2f}" for v in (min(values), statistics.median(values), max(values)))


def shards(args):
    report = json.load(open(args.report))
    job = report["job"]
    listed = job.get("shards") or []
    indent = args.indent
    sizes = [s["host_count"] for s in listed if isinstance(s.get("host_count"), int)]
    line = f"{indent}shards: {job.get('shard_count')}"
    if sizes:
        line += f" ({min(sizes)}-{max(sizes)} hosts each)" if min(sizes) != max(sizes) else f" ({sizes[0]} hosts each)"
    print(line)

    # Which worker ran which shard: the shard's own worker_id when the API gives it, else the worker_id of the
    # shard_finished event of the shard's current run.
    by_run = {e.get("run_id"): e for e in report.get("shard_finished", [])}
    by_shard = {e.get("shard_index"): e for e in report.get("shard_finished", [])}
    workers = collections.defaultdict(list)
    mitogen_runs = 0
    for s in listed:
        event = by_run.get(s.get("run_id")) or by_shard.get(s.get("index")) or {}
        data = event.get("data") or {}
        worker = s.get("worker_id") or data.get("worker_id") or "?"
        workers[worker].append(s)
        mitogen_runs += bool(data.get("mitogen"))
    if workers:
        parts = []
        for worker, ran in sorted(workers.items()):
            hosts = sum(s.get("host_count") or 0 for s in ran)
            parts.append(f"{worker}: {len(ran)} shards, {hosts} hosts (#{','.join(str(s.get('index')) for s in ran)})")
        print(f"{indent}workers: " + "; ".join(parts))
    if report.get("shard_finished"):
        print(f"{indent}Mitogen ran in {mitogen_runs} of {len(listed)} shards (shard_finished events)")

    strategies = collections.Counter(s["strategy"] for s in listed if s.get("strategy") is not None)
    if strategies:
        print(f"{indent}strategy: " + ", ".join(f"{name} x{count}" for name, count in sorted(strategies.items())))
    timings = collections.defaultdict(list)
    for s in listed:
        for key, value in (s.get("timings") or {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                timings[key].append(float(value))
    if timings:
        print(f"{indent}timings over shards, s (min / median / max):")
        width = max(len(k) for k in timings)
        for key in sorted(timings):
            print(f"{indent}  {key:<{width}}  {spread(timings[key])}  ({len(timings[key])} shards)")


def default_api():
    """http://HOST:PORT from PANSIBLE_PORT ("5757", ":5757" and "HOST:5757" as the gateway reads it)."""
    port = os.environ.get("PANSIBLE_PORT") or "127.0.0.1:5757"
    host, _, number = port.rpartition(":")
    if host in ("", "0.0.0.0", "::", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{number}"


def main():
    state = os.environ.get("PANSIBLE_STATE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..", ".pansible")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", default=default_api())
    parser.add_argument("--token-file", default=os.path.join(state, "admin_token"))
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("register")
    p.add_argument("--env", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--hosts-file", required=True)
    p.add_argument("--vars-file")
    p.add_argument("--repo", required=True)
    p.add_argument("--entry", default="site.yml")
    p.add_argument("--ssh-key")
    p = commands.add_parser("job")
    p.add_argument("--env", required=True)
    p.add_argument("--inventory-id", type=int, required=True)
    p.add_argument("--playbook-id", type=int, required=True)
    p.add_argument("--credential-id", type=int)
    p.add_argument("--option", action="append", default=[], help="KEY=JSON, e.g. mitogen=false")
    p.add_argument("--hosts", type=int, required=True)
    p.add_argument("--report", required=True)
    p.add_argument("--timeout", type=float, default=3600)
    p = commands.add_parser("shards")
    p.add_argument("report")
    p.add_argument("--indent", default="")
    args = parser.parse_args()
    if args.command == "shards":
        return shards(args)
    api = API(args.api, open(args.token_file).read().strip())
    {"register": register, "job": job}[args.command](api, args)


if __name__ == "__main__":
    main()
