// The `CMD` payload. Version 1 encodes argv as NUL-terminated arguments, so an argument keeps
// its spaces; a payload with no NUL byte is the original design's space-separated words.

import NIOCore

public enum CommandArguments {
    /// `["bash", "-c", "Ola mundo"]` → `bash\0-c\0Ola mundo\0`.
    public static func encode(_ argv: [String]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for argument in argv {
            buffer.writeString(argument)
            buffer.writeInteger(UInt8(0))
        }
        return buffer
    }

    /// Decodes either form; throws on an empty command or an argument that is not UTF-8
    /// (rather than run a command with silently altered arguments).
    public static func decode(_ payload: ByteBuffer) throws -> [String] {
        let bytes = payload.readableBytesView
        let words: [ByteBufferView.SubSequence]
        if bytes.contains(0) {
            guard bytes.last == 0 else {
                throw ProtocolError.malformedPayload(.command, reason: "last argument is not NUL-terminated")
            }
            words = bytes.dropLast().split(separator: 0, omittingEmptySubsequences: false)
        } else {
            words = bytes.split(separator: UInt8(ascii: " "))
        }
        let argv = try words.enumerated().map { index, word in
            guard let argument = String(validating: word, as: UTF8.self) else {
                throw ProtocolError.malformedPayload(.command, reason: "argument \(index + 1) is not valid UTF-8")
            }
            return argument
        }
        guard let first = argv.first, !first.isEmpty else {
            throw ProtocolError.malformedPayload(.command, reason: "empty command")
        }
        return argv
    }
}
