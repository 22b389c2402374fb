#!/usr/bin/env python3
"""Minimal version-4 DistRun client that cuts its link on purpose and resumes a kept session.

Written from docs/protocol.md alone, without reading the agent's source, to show that the
document is enough to use kept sessions. It connects, sends `OPT version=4`, `OPT keep` and the
command as an argument vector, and copies OUT payloads to stdout. Once it holds at least
CUT_AFTER_BYTES bytes of output it drops the connection abruptly (a TCP reset, no BYE), waits
--pause seconds, reconnects with `OPT version=4` and `OPT resume=ID@OFFSET` (OFFSET = the payload
bytes it received), reports any `GAP N` on stderr, and copies the replayed and live output to
stdout until `EXT`, whose payload it prints on stderr (e.g. `EXT exit=0`). Plaintext only: the
agent must run with --insecure-no-auth. It does not send `OPT stderr`, so output comes as OUT only.

Usage: python3 resume_client.py HOST PORT CUT_AFTER_BYTES [--pause SECONDS] -- CMD [ARGS...]
Exit status: 0 after a well-formed EXT, 1 on BAD or on any protocol or connection problem.
"""
import os
import re
import socket
import struct
import sys
import time

HEADER = struct.Struct(">3sI")  # 3-byte ASCII token, 32-bit big-endian payload length
# Agent -> client tokens this client accepts, with the doc's size caps ("Size limits").
CAPS = {b"OUT": 1 << 20, b"ERR": 1 << 20, b"BAD": 4096, b"VER": 64, b"EXT": 64,
        b"SID": 64, b"GAP": 64, b"PNG": 0}
TIMEOUT = 60.0  # the doc: a reading client that hears nothing for 50 s takes the agent as lost


class ProtocolError(Exception):
    pass


class BadFrame(Exception):
    pass


def fail(message):
    sys.stderr.write(f"resume_client: {message}\n")
    sys.exit(1)


class Conn:
    """One TCP connection with a receive buffer, so frames may be split across reads."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=TIMEOUT)
        self.buf = bytearray()

    def send(self, token, payload=b""):
        self.sock.sendall(HEADER.pack(token, len(payload)) + payload)

    def read_frame(self):
        """The next (token, payload), or None if the agent closed between frames."""
        while True:
            if len(self.buf) >= HEADER.size:
                token, length = HEADER.unpack_from(self.buf)
                if token not in CAPS:
                    raise ProtocolError(f"unknown token {token.decode('ascii', 'replace')!r} "
                                        f"(length {length}) from the agent")
                if length > CAPS[token]:  # checked before buffering the payload
                    raise ProtocolError(f"{token.decode()} frame of {length} bytes is over "
                                        f"its cap of {CAPS[token]} bytes")
                end = HEADER.size + length
                if len(self.buf) >= end:
                    payload = bytes(self.buf[HEADER.size:end])
                    del self.buf[:end]
                    return token, payload
            chunk = self.sock.recv(65536)
            if not chunk:
                if self.buf:
                    raise ProtocolError(f"connection closed inside a frame "
                                        f"({len(self.buf)} bytes of it came)")
                return None
            self.buf += chunk

    def drop(self):
        """Simulate a dropped link: reset the connection (SO_LINGER 0), no BYE, no FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


def session(conn, state, resuming, cut):
    """Read frames until EXT (returns its text) or, if not resuming, until `cut` output bytes
    have arrived (returns None). `state` holds the session id and the output offset."""
    phase = "VER"  # VER -> SID -> (GAP, only after a resume) -> OUT -> done
    out = sys.stdout.buffer
    while True:
        frame = conn.read_frame()
        if frame is None:
            raise ProtocolError(f"the agent closed the connection before EXT (waiting for {phase})")
        token, payload = frame
        if token == b"BAD":
            raise BadFrame(payload.decode("utf-8", "replace"))
        if token == b"PNG":  # keepalive (sent to version >= 3 clients): answer at once
            conn.send(b"PON")
            continue
        if phase == "VER":
            if token != b"VER":
                raise ProtocolError(f"expected VER first, got {token.decode()}")
            if payload != b"4":
                raise ProtocolError(f"agent speaks version {payload!r}; kept sessions need 4")
            phase = "SID"
        elif phase == "SID":
            if token != b"SID":
                raise ProtocolError(f"expected SID after VER, got {token.decode()}")
            if not re.fullmatch(rb"[0-9a-f]{32}", payload):
                raise ProtocolError(f"malformed SID payload {payload!r}")
            if resuming and payload != state["sid"]:
                raise ProtocolError(f"resume confirmed SID {payload!r}, not {state['sid']!r}")
            state["sid"] = payload
            phase = "GAP" if resuming else "OUT"
        elif token == b"GAP":
            if phase != "GAP":
                raise ProtocolError("GAP out of place (allowed once, right after a resume's SID)")
            if not re.fullmatch(rb"[1-9][0-9]*", payload):
                raise ProtocolError(f"malformed GAP payload {payload!r}")
            state["offset"] += int(payload)
            sys.stderr.write(f"GAP {int(payload)}\n")
            phase = "OUT"
        elif token == b"OUT":
            phase = "OUT"
            out.write(payload)
            out.flush()
            state["offset"] += len(payload)
        elif token == b"EXT":
            if not re.fullmatch(rb"(exit|signal)=[0-9]+", payload):
                raise ProtocolError(f"malformed EXT payload {payload!r}")
            if conn.read_frame() is not None:  # EXT is the last frame; the agent shuts its side
                raise ProtocolError("a frame followed EXT")
            conn.send(b"BYE")  # we have everything: the agent may forget the session
            return payload.decode()
        elif token == b"ERR":
            raise ProtocolError("ERR frame, but this client did not send OPT stderr")
        else:  # a second VER or SID
            raise ProtocolError(f"unexpected {token.decode()} frame (waiting for {phase})")
        if not resuming and phase == "OUT" and state["offset"] >= cut:
            return None


USAGE = "usage: resume_client.py HOST PORT CUT_AFTER_BYTES [--pause SECONDS] -- CMD [ARGS...]"


def main(argv):
    args = argv[1:]
    try:
        split = args.index("--")
        opts, cmd = args[:split], args[split + 1:]
        pause = 0.0
        if "--pause" in opts:
            i = opts.index("--pause")
            pause = float(opts[i + 1])
            del opts[i:i + 2]
        host, port, cut = opts[0], int(opts[1]), int(opts[2])
        if len(opts) != 3 or not cmd or not cmd[0] or cut < 0 or pause < 0:
            raise ValueError
    except (ValueError, IndexError):
        fail(USAGE)
    words = [os.fsencode(a) for a in cmd]
    if any(b"\0" in w for w in words):
        fail("arguments cannot contain zero bytes")
    command = b"".join(w + b"\0" for w in words)  # argument vector: each argument, then \0

    state = {"sid": None, "offset": 0}
    try:
        conn = Conn(host, port)
        conn.send(b"OPT", b"version=4")
        conn.send(b"OPT", b"keep")
        conn.send(b"CMD", command)
        ext = session(conn, state, False, cut)
        if ext is None:
            conn.drop()
            sys.stderr.write(f"resume_client: dropped the link at offset {state['offset']}\n")
            time.sleep(pause)
            conn = Conn(host, port)
            conn.send(b"OPT", b"version=4")
            conn.send(b"OPT", b"resume=%s@%d" % (state["sid"], state["offset"]))
            ext = session(conn, state, True, None)
        else:
            sys.stderr.write("resume_client: the command ended before the cut; no resume\n")
        sys.stderr.write(f"EXT {ext}\n")
        return 0
    except BadFrame as e:
        fail(f"agent sent BAD: {e}")
    except ProtocolError as e:
        fail(f"protocol error: {e}")
    except OSError as e:
        fail(f"connection problem: {e}")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
