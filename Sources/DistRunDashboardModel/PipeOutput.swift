// Output that did not come through a pseudo-terminal, made fit for a terminal emulator: bare
// `\n` becomes `\r\n` (or lines would step right like stairs), and stderr is written in the
// first alternative font (SGR 11), which programs hardly use: the pane draws cells in that
// font in the theme's stderr role, and the scrollback keeps such lines as stderr.

import NIOCore

enum PipeOutput {
    static let stderrStart: [UInt8] = Array("\u{1B}[11m".utf8)
    static let stderrEnd: [UInt8] = Array("\u{1B}[10m".utf8)
    /// How the terminal marks a scrolled-off line that began in that font.
    static let stderrLineMark: UInt8 = 0x01

    static func terminalBytes(_ bytes: ByteBuffer, isStderr: Bool) -> [UInt8] {
        var out: [UInt8] = isStderr ? stderrStart : []
        out.reserveCapacity(bytes.readableBytes + 64)
        for byte in bytes.readableBytesView {
            if byte == UInt8(ascii: "\n") { out.append(UInt8(ascii: "\r")) }
            out.append(byte)
        }
        if isStderr { out += stderrEnd }
        return out
    }
}
