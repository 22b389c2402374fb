// A frame-level client over a blocking loopback socket, for protocol tests that need to send
// exactly the bytes they choose (including invalid ones) and read every frame the agent sends.

import DistRunWire
import Foundation
import NIOCore

final class RawClient {
    private let fd: CInt

    init(port: Int, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw TimedOut(description: "cannot connect to port \(port): errno \(errno)") }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { return }
            offset += written
        }
    }

    func send(_ messages: ClientMessage...) {
        var buffer = ByteBuffer()
        for message in messages { buffer.writeFrame(message.frame) }
        send(Array(buffer.readableBytesView))
    }

    /// Sends `bytes` one at a time, `intervalSeconds` apart, as a slow-loris client does; stops
    /// early once the agent has something to say (or has closed). Returns how many were sent.
    @discardableResult
    func trickle(_ bytes: [UInt8], intervalSeconds: Double) -> Int {
        for (index, byte) in bytes.enumerated() {
            send([byte])
            if waitUntilReadable(seconds: intervalSeconds) { return index + 1 }
        }
        return bytes.count
    }

    /// Waits up to `seconds` for something to read (or the end); false if nothing came.
    func waitUntilReadable(seconds: Double) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, Int32(seconds * 1000)) > 0
    }

    /// Half-closes: the agent sees the end of our stream but can still answer.
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Every byte until the agent closes; throws if it does not within the read timeout.
    func readRaw() throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR { continue }
            if count < 0 && errno == ECONNRESET { return bytes }
            guard count >= 0 else { throw TimedOut(description: "the agent did not close (errno \(errno))") }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    /// Bytes read by `waitForOutput`, decoded again by `readAllFrames`.
    private var received = ByteBuffer()

    /// Reads until the decoded output contains `text` (or 10 s pass).
    func waitForOutput(containing text: String) throws {
        while !(try decodedFrames(of: received).outputText.contains(text)) {
            guard readAvailable() else { throw TimedOut(description: "no '\(text)' from the agent") }
        }
    }

    /// Reads what is there into the bytes `framesReceived` decodes; false at the end, an error
    /// or the read timeout.
    func readAvailable() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        var count: Int
        repeat { count = recv(fd, &chunk, chunk.count, 0) } while count < 0 && errno == EINTR
        guard count > 0 else { return false }
        received.writeBytes(chunk[..<count])
        return true
    }

    /// The complete frames read so far by `waitForOutput` or `readAvailable`.
    func framesReceived() throws -> [Frame] { try decodedFrames(of: received) }

    /// Reads until the agent closes the connection (or 10 s pass) and decodes every frame.
    func readAllFrames() throws -> [Frame] {
        var received = self.received
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw TimedOut(description: "no EOF from the agent within 10 s (errno \(errno))") }
            if count == 0 { break }
            received.writeBytes(chunk[..<count])
        }
        return try decodedFrames(of: received, complete: true)
    }

    private func decodedFrames(of bytes: ByteBuffer, complete: Bool = false) throws -> [Frame] {
        var received = bytes
        var decoder = FrameDecoder(accepting: Token.agentTokens, limits: FrameLimits(maxDataPayloadBytes: 1 << 24))
        var frames: [Frame] = []
        while let frame = try decoder.decode(buffer: &received) { frames.append(frame) }
        guard !complete || received.readableBytes == 0 else {
            throw ProtocolError.truncatedFrame(expectedBytes: 0, receivedBytes: received.readableBytes)
        }
        return frames
    }
}

extension Array where Element == Frame {
    /// All `OUT` payloads joined, as text.
    var outputText: String { payloadText(.output) }
    var errorText: String { payloadText(.errorOutput) }

    func payloadText(_ token: Token) -> String {
        filter { $0.token == token }.map(\.text).joined()
    }

    var exitStatus: TerminationStatus? {
        last(where: { $0.token == .exitStatus }).flatMap { try? TerminationStatus(payload: $0.text) }
    }

    var failureReason: String? { last(where: { $0.token == .failure })?.text }
}
