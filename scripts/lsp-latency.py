#!/usr/bin/env python3
"""Latency of `kdl lsp` hover on a reference, as an editor sees it.

Usage: scripts/lsp-latency.py KDL CATALOG FILE TEXT

Starts `KDL lsp` in CATALOG, opens FILE (relative to CATALOG), and asks
for the hover on the first occurrence of TEXT (a reference, e.g. a role
holder's id) six times. The first answer waits for the server's first
lint of the whole catalog; the other five are the hover alone. Standard
library only; nothing is written.

    scripts/lsp-latency.py target/release/kdl catalog system/raindance.yaml anders-nyqvist
"""
import json
import os
import subprocess
import sys
import time

if len(sys.argv) != 5:
    sys.exit(__doc__)
kdl, root, rel, needle = sys.argv[1:5]
kdl = os.path.abspath(kdl) if os.sep in kdl else kdl


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def receive():
    length = 0
    while True:
        line = server.stdout.readline()
        if not line:
            sys.exit("the server closed its output")
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length"):
            length = int(line.split(b":")[1])
    return json.loads(server.stdout.read(length))


def answer(request_id):
    """The response to `request_id`; notifications on the way are skipped."""
    while True:
        message = receive()
        if message.get("id") == request_id and "method" not in message:
            return message


path = os.path.abspath(os.path.join(root, rel))
uri = "file://" + path
with open(path, encoding="utf-8") as f:
    text = f.read()
lines = text.split("\n")
line = next((i for i, l in enumerate(lines) if needle in l), None)
if line is None:
    sys.exit(f"{needle!r} is not in {rel}")
character = lines[line].index(needle) + 1
server = subprocess.Popen(
    [kdl, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root
)

send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
      "params": {"processId": None, "rootUri": "file://" + os.path.abspath(root),
                 "capabilities": {}}})
answer(1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "yaml",
                                  "version": 1, "text": text}}})
times = []
for k in range(6):
    started = time.time()
    send({"jsonrpc": "2.0", "id": 10 + k, "method": "textDocument/hover",
          "params": {"textDocument": {"uri": uri},
                     "position": {"line": line, "character": character}}})
    response = answer(10 + k)
    times.append(time.time() - started)
    if not response.get("result"):
        sys.exit(f"no hover at {rel}:{line + 1}: {response}")
print("first (includes the lint): %.2f s; then: %s ms"
      % (times[0], " ".join("%.1f" % (t * 1000) for t in times[1:])))
send({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
answer(99)
send({"jsonrpc": "2.0", "method": "exit"})
server.wait()
