#!/usr/bin/env python3
"""A tiny HTTP server for the download manager's tests (standard library only).

It listens on 127.0.0.1 on a free port and prints that port as the first line of stdout. It exits when stdin
closes (so it never outlives the test process that started it) or on SIGTERM.

The body of every payload of size N is deterministic: byte i is (i * 31 + 7) % 251.

Routes (N is the body size in bytes):
  /file/N              the payload with Content-Length
  /nolength/N          the payload without Content-Length (the body ends when the connection closes)
  /sha256/N            the payload's SHA-256 as lowercase hex (computed here with hashlib)
  /gzip/N              the payload gzip-compressed, with Content-Encoding: gzip and the compressed Content-Length
  /stall/N             headers with Content-Length N, half the body, then silence (until shutdown)
  /truncate/N          headers with Content-Length N, half the body, then the connection closes
  /flaky/K/N           the first K requests for this exact path get 500, later ones get the payload
  /gate/KEY/N          headers with Content-Length N and half the body, then the rest once /open/KEY was requested
  /open/KEY            opens gate KEY (for requests already waiting and later ones)
  /resumable/K/N       serves byte ranges (Accept-Ranges, ETag, Range → 206 with Content-Range, If-Range honoured);
                       the first K requests for this path send half of what they promise, then close
  /ignorerange/K/N     like /resumable, but answers every request with the whole file (200), Range or not
  /novalidator/K/N     like /resumable, but with neither ETag nor Last-Modified (nothing an If-Range can name)
  /thenbusy/N          like /resumable/1/N, but the second request gets 503 (the third is served)
  /slow/N[?chunk=C&delay=S]  the payload in chunks of C bytes (default 4096) with S seconds (default 0.02) between
  /status/CODE         an empty response with that status
  /drop/N              closes the connection without answering
  /404                 404
  /stats               JSON: {"max_concurrent", "current", "total_requests", "requests": {path: count}, "log": [paths],
                       "ranges": {path: [Range header or "" per request]}, "bytes_sent": {path: body bytes written}}

"Concurrent" counts payload requests from their arrival until just before their last bytes are written, so a
client that starts its next request only after the previous one completed is never counted twice.
"""

import gzip
import hashlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SHUTDOWN = threading.Event()
GATES = {}
GATES_LOCK = threading.Lock()


def gate(key):
    with GATES_LOCK:
        return GATES.setdefault(key, threading.Event())


def payload(size):
    pattern = bytes((i * 31 + 7) % 251 for i in range(251))
    repeated = pattern * (size // 251 + 1)
    return repeated[:size]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.current = 0
        self.max_concurrent = 0
        self.requests = {}
        self.log = []
        self.ranges = {}
        self.bytes_sent = {}

    def record(self, path, range_header=""):
        with self.lock:
            self.requests[path] = self.requests.get(path, 0) + 1
            self.log.append(path)
            self.ranges.setdefault(path, []).append(range_header or "")
            return self.requests[path]

    def sent(self, path, count):
        with self.lock:
            self.bytes_sent[path] = self.bytes_sent.get(path, 0) + count

    def enter(self):
        with self.lock:
            self.current += 1
            self.max_concurrent = max(self.max_concurrent, self.current)

    def leave(self):
        with self.lock:
            self.current -= 1

    def snapshot(self):
        with self.lock:
            return {
                "max_concurrent": self.max_concurrent,
                "current": self.current,
                "total_requests": len(self.log),
                "requests": dict(self.requests),
                "log": list(self.log),
                "ranges": {k: list(v) for k, v in self.ranges.items()},
                "bytes_sent": dict(self.bytes_sent),
            }


STATS = Stats()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):  # keep the test output quiet
        pass

    def do_GET(self):
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        query = parse_qs(url.query)
        if parts == ["stats"]:
            return self.send_bytes(200, json.dumps(STATS.snapshot()).encode(), "application/json")
        if len(parts) == 2 and parts[0] == "open":
            gate(parts[1]).set()
            return self.send_bytes(200, b"open\n")
        count = STATS.record(url.path, self.headers.get("Range"))
        try:
            kind, size = parts[0], int(parts[-1])
        except (IndexError, ValueError):
            return self.send_bytes(404, b"not found\n")
        if kind == "sha256":
            return self.send_bytes(200, hashlib.sha256(payload(size)).hexdigest().encode())
        if kind == "gzip":
            body = gzip.compress(payload(size))
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if kind == "drop":
            self.close_connection = True
            return
        if kind == "status":
            return self.send_bytes(size, b"")
        if kind in ("resumable", "ignorerange", "novalidator"):
            return self.serve_ranges(kind, url.path, payload(size), truncated=count <= int(parts[1]))
        if kind == "thenbusy":
            if count == 2:
                return self.send_bytes(503, b"busy\n")
            return self.serve_ranges("resumable", url.path, payload(size), truncated=count == 1)
        if kind == "flaky":
            if count <= int(parts[1]):
                return self.send_bytes(500, b"flaky failure\n")
            kind = "file"
        if kind not in ("file", "nolength", "stall", "truncate", "slow", "gate"):
            return self.send_bytes(404, b"not found\n")
        self.serve_payload(kind, payload(size), query, parts)

    def serve_payload(self, kind, body, query, parts):
        STATS.enter()
        left = False

        def leave():
            nonlocal left
            if not left:
                left = True
                STATS.leave()

        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if kind == "nolength":
                self.send_header("Connection", "close")
            else:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            half = len(body) // 2
            if kind == "stall":
                self.wfile.write(body[:half])
                self.wfile.flush()
                SHUTDOWN.wait(120)
            elif kind == "gate":
                self.wfile.write(body[:half])
                self.wfile.flush()
                gate(parts[1]).wait(120)
                leave()
                self.wfile.write(body[half:])
                self.wfile.flush()
            elif kind == "truncate":
                self.wfile.write(body[:half])
                self.wfile.flush()
                leave()
                self.close_connection = True
            elif kind == "slow":
                chunk = int(query.get("chunk", ["4096"])[0])
                delay = float(query.get("delay", ["0.02"])[0])
                for start in range(0, len(body), chunk):
                    if start + chunk >= len(body):
                        leave()
                    self.wfile.write(body[start:start + chunk])
                    self.wfile.flush()
                    if start + chunk < len(body):
                        time.sleep(delay)
            else:
                leave()
                self.wfile.write(body)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (cancelled or timed out)
        finally:
            leave()

    def serve_ranges(self, kind, path, body, truncated):
        etag = '"payload-%d"' % len(body)
        start = 0
        requested = self.headers.get("Range", "")
        if_range = self.headers.get("If-Range")
        if kind in ("resumable", "novalidator") and requested.startswith("bytes=") and requested.endswith("-") \
                and (if_range is None or if_range == etag):
            start = int(requested[len("bytes="):-1])
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(body))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        part = body[start:]
        self.send_response(206 if start > 0 else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        if kind != "novalidator":
            self.send_header("ETag", etag)
        if start > 0:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(body) - 1, len(body)))
        self.send_header("Content-Length", str(len(part)))
        self.end_headers()
        if truncated:
            part = part[:len(part) // 2]
            self.close_connection = True
        try:
            self.wfile.write(part)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
        STATS.sent(path, len(part))

    def send_bytes(self, status, body, content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def exit_when_stdin_closes():
    try:
        while sys.stdin.buffer.read(1024):
            pass
    except OSError:
        pass
    SHUTDOWN.set()
    os._exit(0)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
