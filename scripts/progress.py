#!/usr/bin/env python3
"""Follows a Pansible job's live progress over the collector's WebSocket and draws a progress bar.

Usage: progress.py --ws ws://127.0.0.1:5858 --api http://127.0.0.1:5757 --token TOKEN JOB_UUID

Standard library only: a minimal RFC 6455 client (text frames, ping/pong, close).
"""
import argparse
import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.parse
import urllib.request


class WebSocket:
    def __init__(self, url, headers=None):
        parts = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        path = parts.path + ("?" + parts.query if parts.query else "")
        request = [f"GET {path} HTTP/1.1", f"Host: {parts.hostname}:{parts.port}", "Upgrade: websocket",
                   "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        request += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(request) + "\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("connection closed during the WebSocket handshake")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status + " ":
            raise ConnectionError(f"WebSocket upgrade refused: {status}")

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _send(self, opcode, payload=b""):
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def messages(self):
        """Yields text messages until the server closes."""
        fragments = b""
        while True:
            try:
                b1, b2 = self._read(2)
            except EOFError:
                return
            opcode, n = b1 & 0x0F, b2 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(n)
            if opcode == 0x8:
                try:
                    self._send(0x8, payload[:2])
                except OSError:
                    pass
                return
            if opcode == 0x9:
                self._send(0xA, payload)
                continue
            if opcode in (0x1, 0x0):
                fragments += payload
                if b1 & 0x80:
                    yield fragments.decode("utf-8")
                    fragments = b""


def api_get(api, token, path):
    request = urllib.request.Request(api + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def bar(done, total, width=30):
    if total <= 0:
        return "[" + " " * width + "]"
    filled = int(width * done / total)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ws", default="ws://127.0.0.1:5858")
    parser.add_argument("--api", default="http://127.0.0.1:5757")
    parser.add_argument("--token", required=True)
    parser.add_argument("job")
    args = parser.parse_args()

    url = f"{args.ws}/api/v1/job/progress/{args.job}?token={urllib.parse.quote(args.token)}"
    ws = WebSocket(url)
    total = 0
    done_hosts = set()
    counts = {"ok": 0, "changed": 0, "failed": 0, "unreachable": 0, "skipped": 0}
    task = ""
    final = None
    tty = sys.stdout.isatty()
    last_draw = 0.0

    def draw(force=False):
        nonlocal last_draw
        now = time.monotonic()
        if not force and now - last_draw < 0.1:
            return
        last_draw = now
        line = (f"{bar(len(done_hosts), total)} {len(done_hosts)}/{total or '?'} hosts  "
                f"ok={counts['ok']} changed={counts['changed']} failed={counts['failed']} "
                f"unreachable={counts['unreachable']}  {task[:40]}")
        if tty:
            sys.stdout.write("\r\033[K" + line)
        elif force:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()

    for text in ws.messages():
        message = json.loads(text)
        kind = message.get("type", "")
        if kind == "job_split":
            data = message.get("data") or message.get("result") or {}
            total = data.get("host_count", total)
        elif kind in ("playbook_on_task_start", "playbook_on_handler_task_start", "task_start"):
            task = message.get("task") or task
        elif kind in ("ok", "failed", "unreachable", "skipped"):
            result = message.get("result") or {}
            if kind == "ok" and result.get("changed"):
                counts["changed"] += 1
            counts[kind] += 1
            task = message.get("task") or task
        elif kind in ("playbook_on_stats", "shard_finished"):
            # The end of a shard's run: its hosts are done.
            data = message.get("data") or message.get("result") or {}
            done_hosts.update((data.get("stats") or {}).keys())
        elif kind == "job_finished":
            final = message
            break
        if total == 0:
            try:
                total = api_get(args.api, args.token, f"/api/v1/job/{args.job}").get("host_count") or 0
            except Exception:
                pass
        draw()
    draw(force=True)
    if tty:
        print()
    if final is None:
        print("progress: the stream ended before the job finished", file=sys.stderr)
        return 1
    recap = final.get("recap") or {}
    print(f"\nJob {args.job}: {final.get('status')}")
    print("PLAY RECAP (merged over every shard)")
    shown = 0
    for host in sorted(recap):
        s = recap[host] or {}
        if shown < 10 or s.get("failures") or s.get("failed") or s.get("unreachable"):
            print(f"{host:<32} ok={s.get('ok', 0):<4} changed={s.get('changed', 0):<4} unreachable={int(bool(s.get('unreachable', 0))):<4} "
                  f"failed={s.get('failures', s.get('failed', 0)):<4} skipped={s.get('skipped', 0):<4} rescued={s.get('rescued', 0):<4} ignored={s.get('ignored', 0)}")
            shown += 1
    if len(recap) > shown:
        print(f"... and {len(recap) - shown} more hosts")
    totals = {k: sum(int((recap[h] or {}).get(k, 0) or 0) for h in recap) for k in ("ok", "changed", "failures", "unreachable", "skipped")}
    print(f"{len(recap)} hosts: " + " ".join(f"{k}={v}" for k, v in totals.items()))
    return 0 if final.get("status") in ("successful",) else 2


if __name__ == "__main__":
    sys.exit(main())
