#!/usr/bin/env python3
"""Checks serve's HTTP/1.1 framing with raw sockets (what a strict client or a proxy in front relies on); prints
what it saw as one JSON object.

Usage: framing.py PORT
- a header with whitespace before its colon (`Content-Length : 48`) is refused with 400, so its body cannot pass
  as the next request;
- a HEAD request gets the head only: the response pipelined after it starts right after the blank line;
- an HTTP/1.0 client asking for a stream gets no chunked encoding: the body runs until the server closes;
- an empty line after a request's body, before the next request line, is skipped (RFC 9112 §2.2), not a 400.
"""

import json
import socket
import sys


def exchange(port, raw):
    """Sends raw bytes and reads until the server closes the connection."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(raw)
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    return data


def status(response):
    return response.split(b" ", 2)[1].decode() if response.startswith(b"HTTP/") else ""


def main() -> None:
    port = int(sys.argv[1])
    seen = {}

    # were `content-length ` an unknown field, the body would be read as a second request, answered too
    smuggled = b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
    spaced = exchange(
        port, b"GET /v1/models HTTP/1.1\r\nhost: x\r\ncontent-length : %d\r\n\r\n%s" % (len(smuggled), smuggled))
    seen["space_before_colon"] = status(spaced)
    seen["space_before_colon_responses"] = spaced.count(b"HTTP/1.1 ")

    pipelined = exchange(
        port,
        b"HEAD /v1/models HTTP/1.1\r\nhost: x\r\n\r\nGET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
    first_head, _, rest = pipelined.partition(b"\r\n\r\n")
    seen["head_status"] = status(first_head)
    seen["head_declares_length"] = b"content-length:" in first_head.lower()
    seen["after_head"] = status(rest)

    body = b'{"model":"tiny","prompt":"the cat","max_tokens":4,"stream":true}'
    old = exchange(port, b"POST /v1/completions HTTP/1.0\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
    old_head, _, old_body = old.partition(b"\r\n\r\n")
    seen["http10_status"] = status(old_head)
    seen["http10_chunked"] = b"transfer-encoding" in old_head.lower()
    seen["http10_closes"] = b"connection: close" in old_head.lower()
    seen["http10_body_starts_with_event"] = old_body.startswith(b"data: ")
    seen["http10_body_ends_with_done"] = old_body.endswith(b"data: [DONE]\n\n")

    extra_line = exchange(
        port,
        b"POST /v1/embeddings HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}\r\n"
        b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
    seen["after_extra_line"] = [part.split(b" ", 1)[0].decode() for part in extra_line.split(b"HTTP/1.1 ")[1:]]
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
