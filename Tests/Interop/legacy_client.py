#!/usr/bin/env python3
"""Minimal version-0 ("original design") DistRun client.

Written from docs/protocol.md alone, without reading the agent's source, to show that the
document is enough to interoperate. It speaks only the original tokens: it sends one CMD frame
in the version-0 "words" encoding (no OPT, so the agent speaks version 0) and accepts only OUT
frames back, copying their payloads to stdout as raw bytes.

Usage: python3 legacy_client.py HOST PORT WORD [WORD...]
Exit status: 0 when the agent closes the connection cleanly between frames, 1 otherwise.
"""
import socket
import struct
import sys

HEADER = struct.Struct(">3sI")  # 3-byte ASCII token, 32-bit big-endian payload length


def fail(message):
    sys.stderr.write(f"legacy_client: {message}\n")
    sys.exit(1)


def recv_exact(sock, count, what):
    """Read exactly `count` bytes; b"" if the peer closed before the first byte."""
    data = bytearray()
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            if not data and what == "header":
                return b""
            fail(f"connection closed mid-frame ({what}: got {len(data)} of {count} bytes)")
        data += chunk
    return bytes(data)


def main(argv):
    if len(argv) < 4:
        fail("usage: legacy_client.py HOST PORT WORD [WORD...]")
    host, port, words = argv[1], int(argv[2]), argv[3:]
    if any(not w or " " in w or "\0" in w for w in words):
        fail("version-0 words must be non-empty and contain no spaces or zero bytes")
    payload = " ".join(words).encode()

    with socket.create_connection((host, port)) as sock:
        sock.sendall(HEADER.pack(b"CMD", len(payload)) + payload)
        out = sys.stdout.buffer
        while True:
            header = recv_exact(sock, HEADER.size, "header")
            if not header:
                return 0  # agent closed the connection between frames: done
            token, length = HEADER.unpack(header)
            if token not in (b"OUT", b"BAD"):
                fail(f"unexpected token {token.decode('ascii', 'replace')!r} "
                     f"(length {length}) from agent")
            body = recv_exact(sock, length, f"{token.decode()} payload")
            if token == b"BAD":
                fail(f"agent sent BAD: {body.decode('utf-8', 'replace')}")
            out.write(body)
            out.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
