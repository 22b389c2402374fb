#!/usr/bin/env python3
"""Writes the FrameFuzzer seed corpus to Fuzz/corpus/frames/ (run from anywhere; deterministic).

A seed is one fuzz input: byte 0 is the control byte (bits 0-5: read size, 0 = one read;
bit 6: 16-byte data cap), the rest a connection's byte stream. See Sources/FrameFuzzer.
"""
import hashlib
import pathlib
import struct

OUT = pathlib.Path(__file__).resolve().parent / "corpus" / "frames"


def frame(token, payload=b""):
    payload = payload.encode() if isinstance(payload, str) else payload
    return token.encode() + struct.pack(">I", len(payload)) + payload


def raw(token, length, payload=b""):
    """A header announcing `length` whatever the payload really is (oversize, truncated)."""
    return token.encode() + struct.pack(">I", length) + payload


def hexbytes(text):
    return bytes.fromhex(" ".join(text.split()))


SEEDS = {
    # Valid sessions, both directions.
    "client-v1-stdin": b"\x00" + frame("OPT", "version=1") + frame("OPT", "stdin")
    + frame("CMD", b"bash\0-c\0cat\0") + frame("INP", "hello\n") + frame("INP") + frame("EOF"),
    "client-v1-stdin-1byte-reads": b"\x01" + frame("OPT", "version=1") + frame("OPT", "stdin")
    + frame("CMD", b"cat\0") + frame("INP", "hello\n") + frame("EOF"),
    "client-v2-pty-signals": b"\x05" + frame("OPT", "version=2") + frame("OPT", "pty=80x24")
    + frame("OPT", "term=xterm") + frame("CMD", "top") + frame("WIN", "120x40")
    + frame("INP", b"\x03") + frame("SIG", "SIGWINCH") + frame("EOF"),
    "agent-v1-stderr": b"\x00" + frame("VER", "1") + frame("OUT", "Ola ") + frame("ERR", b"\xff\x00oops\n")
    + frame("OUT", "mundo\n") + frame("EXT", "exit=3"),
    "agent-signal-and-bad": b"\x02" + frame("VER", "2") + frame("OUT") + frame("EXT", "signal=9")
    + frame("BAD", "unknown option 'pty'"),
    # Kept sessions (version 4): start with keep, resume by id and offset, end with BYE.
    "client-v4-keep-bye": b"\x00" + frame("OPT", "version=4") + frame("OPT", "keep=60")
    + frame("CMD", b"seq\x001\x00100\x00") + frame("PON") + frame("BYE"),
    "client-v4-resume": b"\x03" + frame("OPT", "version=4")
    + frame("OPT", "resume=0123456789abcdef0123456789abcdef@5000") + frame("INP", "x"),
    "agent-v4-resumed": b"\x00" + frame("VER", "4") + frame("SID", "0123456789abcdef0123456789abcdef")
    + frame("GAP", "4096") + frame("OUT", "tail\n") + frame("EXT", "exit=0"),
    # The byte examples of docs/protocol.md.
    "doc-client-v1": b"\x00" + hexbytes("""
        4f 50 54 00 00 00 09 76 65 72 73 69 6f 6e 3d 31  4f 50 54 00 00 00 06 73 74 64 65 72 72
        43 4d 44 00 00 00 21 62 61 73 68 00 2d 63 00 65 63 68 6f 20 22 4f 6c 61 20 6d 75 6e 64 6f 22
        3b 20 65 78 69 74 20 33 00"""),
    "doc-agent-v1": b"\x00" + hexbytes("""
        56 45 52 00 00 00 01 31  4f 55 54 00 00 00 0a 4f 6c 61 20 6d 75 6e 64 6f 0a
        45 58 54 00 00 00 06 65 78 69 74 3d 33"""),
    "doc-v0-client": b"\x03" + hexbytes("43 4d 44 00 00 00 06 77 68 6f 61 6d 69"),
    "doc-v0-agent": b"\x03" + hexbytes("4f 55 54 00 00 00 05 72 6f 6f 74 0a"),
    "doc-pty-v2": b"\x00" + hexbytes("""
        4f 50 54 00 00 00 09 76 65 72 73 69 6f 6e 3d 32  4f 50 54 00 00 00 09 70 74 79 3d 38 30 78 32 34
        4f 50 54 00 00 00 13 74 65 72 6d 3d 78 74 65 72 6d 2d 32 35 36 63 6f 6c 6f 72
        43 4d 44 00 00 00 0d 76 69 00 6e 6f 74 65 73 2e 74 78 74 00  57 49 4e 00 00 00 06 31 32 30 78 34 30
        49 4e 50 00 00 00 01 03  53 49 47 00 00 00 03 49 4e 54"""),
    # Phase and payload errors (the decoder accepts these; parsing or the machine refuses them).
    "phase-inp-without-stdin": b"\x00" + frame("CMD", b"cat\0") + frame("INP", "x") + frame("EOF"),
    "phase-opt-after-cmd-win-without-pty": b"\x00" + frame("CMD", "ls -l") + frame("WIN", "80x24")
        + frame("OPT", "stdin"),
    "malformed-client": b"\x00" + frame("OPT", "version=x") + frame("OPT", "pty=0x24") + frame("SIG", "FOO")
        + frame("CMD", b"bash\0-c") + frame("CMD", b"\xc3(\0") + frame("WIN", "80x"),
    "malformed-agent": b"\x00" + frame("EXT", "exit=") + frame("EXT", "killed=9") + frame("VER", "one"),
    # Framing errors.
    "truncated-header": b"\x03" + frame("OPT", "stdin") + b"CMD\x00\x00",
    "truncated-payload": b"\x00" + raw("CMD", 33, b"bash\0-c\0ec"),
    "oversize-inp": b"\x00" + raw("INP", 0xFFFFFFFF, b"x" * 8),
    "oversize-opt-and-eof": b"\x00" + raw("OPT", 4097) + raw("EOF", 1, b"x"),
    "small-cap-cmd": b"\x40" + frame("CMD", b"0123456789abcdef\0") + frame("OUT", "x" * 17),
    "unknown-token": b"\x00" + frame("OPT", "stderr") + raw("XYZ", 0) + raw("opt", 0),
    "garbage": b"\x07" + b"".join(hashlib.sha256(bytes([i])).digest() for i in range(6)),
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in SEEDS.items():
        assert len(data) <= 512, name
        (OUT / name).write_bytes(data)
    print(f"wrote {len(SEEDS)} seeds to {OUT}")


if __name__ == "__main__":
    main()
