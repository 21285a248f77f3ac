#!/usr/bin/env python3
"""Checks serve's connection bound and idle timeout with raw sockets; prints what it saw as one JSON object.

Usage: connection_limits.py PORT MAX_CONNECTIONS
Opens MAX_CONNECTIONS idle keep-alive connections (each after one request), then one more, which must be refused
with 503; then waits (at most 20 s) for the server to close an idle connection by itself.
"""

import json
import socket
import sys


def request(sock):
    sock.sendall(b"GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b" ", 2)[1].decode() if data else ""


def main() -> None:
    port, limit = int(sys.argv[1]), int(sys.argv[2])
    held = []
    statuses = []
    for _ in range(limit):
        sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        statuses.append(request(sock))
        held.append(sock)
    extra = socket.create_connection(("127.0.0.1", port), timeout=20)
    refused = extra.recv(4096).split(b" ", 2)[1].decode()
    extra.close()
    # The first connection has been idle since its request: the server closes it at its idle timeout.
    closed_by_server = held[0].recv(1) == b""
    for sock in held:
        sock.close()
    print(json.dumps({"statuses": statuses, "refused": refused, "idle_closed": closed_by_server}))


if __name__ == "__main__":
    main()
