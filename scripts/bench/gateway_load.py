#!/usr/bin/env python3
"""Load client for the gateway benchmark: keep-alive HTTP/1.1 over asyncio streams, standard library only.

  gateway_load.py launch URL TOKEN PLAYBOOK_ID INVENTORY_ID ENV SECONDS CONNECTIONS
      POST /api/v1/job as fast as CONNECTIONS connections allow for SECONDS; prints launches/s and latency.
  gateway_load.py get URL TOKEN PATH COUNT CONNECTIONS
      GET PATH COUNT times; prints p50/p99 latency and the answer's size.
"""
import asyncio
import json
import sys
import time
from urllib.parse import urlparse


async def request(reader, writer, host, method, path, token, body=None):
    data = body.encode() if body is not None else b""
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nContent-Length: {len(data)}\r\n"
    if body is not None:
        head += "Content-Type: application/json\r\n"
    writer.write(head.encode() + b"\r\n" + data)
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length = 0
    chunked = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        payload = b""
        while True:
            size = int((await reader.readline()).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            payload += chunk[:-2]
    else:
        payload = await reader.readexactly(length)
    return status, payload


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def launch(url, token, playbook, inventory, env, seconds, connections):
    parsed = urlparse(url)
    body = json.dumps({"env": env, "playbook_id": int(playbook), "inventory_id": int(inventory)})
    deadline = time.monotonic() + seconds
    latencies, failures = [], 0

    async def worker():
        nonlocal failures
        reader, writer = await asyncio.open_connection(parsed.hostname, parsed.port)
        while time.monotonic() < deadline:
            start = time.monotonic()
            status, _ = await request(reader, writer, parsed.netloc, "POST", "/api/v1/job", token, body)
            latencies.append(time.monotonic() - start)
            if status != 201:
                failures += 1
        writer.close()

    start = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.monotonic() - start
    print(f"launches={len(latencies)} failures={failures} seconds={elapsed:.2f} rate={len(latencies) / elapsed:.0f}/s "
          f"p50_ms={percentile(latencies, 0.5) * 1000:.1f} p99_ms={percentile(latencies, 0.99) * 1000:.1f}")


async def get(url, token, path, count, connections):
    parsed = urlparse(url)
    latencies, sizes = [], set()
    per_connection = max(1, count // connections)

    async def worker():
        reader, writer = await asyncio.open_connection(parsed.hostname, parsed.port)
        for _ in range(per_connection):
            start = time.monotonic()
            status, payload = await request(reader, writer, parsed.netloc, "GET", path, token)
            latencies.append(time.monotonic() - start)
            if status != 200:
                raise SystemExit(f"GET {path}: HTTP {status}: {payload[:200]!r}")
            sizes.add(len(payload))
        writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    print(f"requests={len(latencies)} bytes={max(sizes)} p50_ms={percentile(latencies, 0.5) * 1000:.1f} "
          f"p99_ms={percentile(latencies, 0.99) * 1000:.1f}")


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "launch":
        asyncio.run(launch(args[0], args[1], args[2], args[3], args[4], float(args[5]), int(args[6])))
    elif mode == "get":
        asyncio.run(get(args[0], args[1], args[2], int(args[3]), int(args[4])))
    else:
        raise SystemExit(__doc__)
