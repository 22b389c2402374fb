// A frame's 3-byte ASCII token, and the table of every token the protocol defines.
//
// Tokens are grouped by direction and never reused; a token that a later version adds is
// listed here (and in docs/protocol.md) before any peer may send it. Unknown tokens are
// rejected from the frame header, before the payload is read.

/// Three ASCII bytes naming what a frame carries.
public struct Token: Hashable, Sendable, CustomStringConvertible {
    public let bytes: (UInt8, UInt8, UInt8)

    public init(_ bytes: (UInt8, UInt8, UInt8)) { self.bytes = bytes }

    /// `"OUT"` → the token; traps on anything but three ASCII letters (for constants only).
    public init(_ text: StaticString) {
        precondition(text.utf8CodeUnitCount == 3, "a token is three bytes")
        let p = text.utf8Start
        self.bytes = (p[0], p[1], p[2])
    }

    public static func == (a: Token, b: Token) -> Bool { a.bytes == b.bytes }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.0); hasher.combine(bytes.1); hasher.combine(bytes.2)
    }

    /// Printable form; non-printable bytes are shown as `\xNN` so error messages stay readable.
    public var description: String {
        [bytes.0, bytes.1, bytes.2].map { byte in
            (0x20..<0x7F).contains(byte)
                ? String(UnicodeScalar(byte)) : "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}

extension Token {
    // Client → agent (the original design's tokens first).
    /// A client option, `key` or `key=value`; zero or more, before `CMD`.
    public static let option = Token("OPT")
    /// The command: NUL-terminated arguments, or (legacy) words separated by spaces.
    public static let command = Token("CMD")
    /// Bytes for the command's stdin (needs the `stdin` option).
    public static let input = Token("INP")
    /// Close the command's stdin; the connection and the output stay open.
    public static let endOfInput = Token("EOF")
    /// The pseudo-terminal's new size, `COLSxROWS` (version 2, with the `pty` option).
    public static let windowSize = Token("WIN")
    /// Deliver a signal to the command's process group: `INT`, `TERM`, `HUP`, … (version 2).
    public static let signal = Token("SIG")
    /// The answer to the agent's keepalive `PNG` (version 3).
    public static let pong = Token("PON")
    /// End a kept session now: its command's process group is ended, as on a disconnect (version 4).
    public static let endSession = Token("BYE")

    // Agent → client.
    /// The command's output (stdout, and stderr too unless the `stderr` option asked for `ERR`).
    public static let output = Token("OUT")
    /// The command's stderr, with the `stderr` option.
    public static let errorOutput = Token("ERR")
    /// The protocol version the agent speaks, in answer to the client's `version` option.
    public static let version = Token("VER")
    /// How the command ended: `exit=N` or `signal=N`; the last frame before the agent closes.
    public static let exitStatus = Token("EXT")
    /// A human-readable reason the agent refuses or ends the session; the agent closes after it.
    public static let failure = Token("BAD")
    /// Keepalive: the client answers `PON` (version 3).
    public static let ping = Token("PNG")
    /// A kept session's id, to resume it after a reconnect (version 4).
    public static let sessionID = Token("SID")
    /// How many bytes of output the replay buffer no longer holds, before a replay (version 4).
    public static let outputGap = Token("GAP")

    /// Tokens a client may send, in any phase.
    public static let clientTokens: Set<Token> = [
        .option, .command, .input, .endOfInput, .windowSize, .signal, .pong, .endSession,
    ]
    /// Tokens an agent may send.
    public static let agentTokens: Set<Token> = [
        .output, .errorOutput, .version, .exitStatus, .failure, .ping, .sessionID, .outputGap,
    ]
}
