#!/usr/bin/env python3
"""Checks serve's connection bound and idle timeout with raw sockets; prints what it saw as one JSON object.

Usage: connection_limits.py PORT MAX_CONNECTIONS
Opens MAX_CONNECTIONS idle keep-alive connections (each after one request), then one more, which must be refused
with 503, and one that sends a request with a 100 KB body before reading, which must read the 503 too (not a
reset); then waits (at most 20 s) for the server to close an idle connection by itself. Last, with the slots free
again, a client sends a request head one header line every 0.3 s and never ends it: the server must close the
connection within the idle timeout of it going idle, not reset its clock at every line (seconds it took printed).
"""

import json
import socket
import sys
import time


def status_after(sock, raw):
    """Sends raw bytes and returns the status of the response head that comes back ("" when none does)."""
    sock.sendall(raw)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else ""


def request(sock):
    return status_after(sock, b"GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")


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
    uploading = socket.create_connection(("127.0.0.1", port), timeout=20)
    body = b"x" * 100_000
    try:
        refused_upload = status_after(
            uploading, b"POST /v1/completions HTTP/1.1\r\nhost: x\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
    except OSError as error:  # a reset instead of the answer
        refused_upload = type(error).__name__
    uploading.close()
    # The first connection has been idle since its request: the server closes it at its idle timeout.
    closed_by_server = held[0].recv(1) == b""
    for sock in held:
        sock.close()
    time.sleep(0.5)  # the server's lingering closes end
    trickling = socket.create_connection(("127.0.0.1", port), timeout=20)
    started = time.monotonic()
    trickle_closed_after = None
    try:
        trickling.sendall(b"GET /health HTTP/1.1\r\n")
        for line in range(100):  # 30 s of header lines
            trickling.sendall(b"x-line-%d: 1\r\n" % line)
            trickling.settimeout(0.3)
            try:
                if trickling.recv(1) == b"":
                    trickle_closed_after = time.monotonic() - started
                    break
            except socket.timeout:
                pass
    except OSError:
        trickle_closed_after = time.monotonic() - started
    trickling.close()
    print(json.dumps({
        "statuses": statuses, "refused": refused, "refused_upload": refused_upload, "idle_closed": closed_by_server,
        "trickle_closed_after": trickle_closed_after,
    }))


if __name__ == "__main__":
    main()
