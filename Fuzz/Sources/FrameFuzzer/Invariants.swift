// What FrameFuzzer checks. Decoding: the outcome (frames, then the first error or a clean end)
// is the same for any read size; `nil` consumes nothing; every frame has an accepted token and a
// payload within its cap, re-encodes (writeFrame) to bytes that decode to the same frame, and the
// frames re-encoded are exactly the bytes consumed. Parsing: a message's frame parses back to the
// same message; errors are ProtocolErrors with a reason. Session: see SessionChecker.

import DistRunWire
import NIOCore

/// What a byte stream decodes to: the frames, then the first error (nil: a clean end).
struct DecodeOutcome: Equatable {
    var frames: [Frame] = []
    var error: ProtocolError?
}

/// Feeds `stream` in reads of `readSize` bytes (0: one read) as ByteToMessageHandler does, then EOF.
func decode(_ stream: [UInt8], readSize: Int, accepting tokens: Set<Token>, limits: FrameLimits) -> DecodeOutcome {
    var decoder = FrameDecoder(accepting: tokens, limits: limits)
    var buffer = ByteBuffer()
    var outcome = DecodeOutcome()
    let step = readSize == 0 ? max(stream.count, 1) : readSize
    do {
        for start in stride(from: 0, to: stream.count, by: step) {
            buffer.writeBytes(stream[start..<min(start + step, stream.count)])
            while true {
                let before = buffer.readerIndex
                guard let frame = try decoder.decode(buffer: &buffer) else {
                    precondition(buffer.readerIndex == before, "decode returned nil but consumed bytes")
                    break
                }
                outcome.frames.append(frame)
            }
        }
        while let frame = try decoder.decodeLast(buffer: &buffer, seenEOF: true) { outcome.frames.append(frame) }
        precondition(buffer.readableBytes == 0, "decodeLast left \(buffer.readableBytes) bytes without an error")
    } catch {
        outcome.error = expectProtocolError(error)
    }
    return outcome
}

/// Decodes `stream` and checks every decoding invariant.
func decodeChecked(_ stream: [UInt8], readSize: Int, accepting tokens: Set<Token>, limits: FrameLimits)
    -> DecodeOutcome
{
    let outcome = decode(stream, readSize: readSize, accepting: tokens, limits: limits)
    if readSize != 0 {
        precondition(
            outcome == decode(stream, readSize: 0, accepting: tokens, limits: limits), "result depends on read size")
    }
    var wire = ByteBuffer()
    for frame in outcome.frames {
        precondition(tokens.contains(frame.token), "decoded a frame with a token it does not accept: \(frame)")
        let limit = limits.maxPayloadBytes(for: frame.token)
        precondition(frame.payload.readableBytes <= limit, "\(frame) is over its limit of \(limit)")
        var single = ByteBuffer()
        precondition(single.writeFrame(frame) == Frame.headerBytes + frame.payload.readableBytes)
        var decoder = FrameDecoder(accepting: tokens, limits: limits)
        let again = try? decoder.decode(buffer: &single)
        precondition(again == frame && single.readableBytes == 0, "\(frame) does not survive writeFrame + decode")
        wire.writeFrame(frame)
    }
    precondition(
        wire.readableBytesView.elementsEqual(stream.prefix(wire.readableBytes)), "frames are not the bytes consumed")
    precondition(outcome.error != nil || wire.readableBytes == stream.count, "clean end before the end of the stream")
    return outcome
}

/// Every error out of the codec must be a ProtocolError whose reason (sent in BAD) is not empty.
@discardableResult
func expectProtocolError(_ error: any Error) -> ProtocolError {
    guard let error = error as? ProtocolError else { preconditionFailure("not a ProtocolError: \(error)") }
    precondition(!error.description.isEmpty, "empty reason")
    return error
}

/// Client → agent: parse each frame and run it through the agent's session machine.
func checkClientDirection(_ stream: [UInt8], readSize: Int, limits: FrameLimits) {
    let outcome = decodeChecked(stream, readSize: readSize, accepting: Token.clientTokens, limits: limits)
    if let error = outcome.error { expectProtocolError(error) }
    var session = SessionChecker()
    for frame in outcome.frames {
        let message: ClientMessage
        do { message = try ClientMessage(frame) } catch { expectProtocolError(error); return }
        let again = message.frame
        precondition(again.token == frame.token, "\(frame) parses to a message of another token")
        precondition((try? ClientMessage(again)) == message, "\(message) does not round-trip through its frame")
        guard session.receive(message) else { return }
    }
}

/// Agent → client: parse each frame; the client hangs up at the first malformed one.
func checkAgentDirection(_ stream: [UInt8], readSize: Int, limits: FrameLimits) {
    let outcome = decodeChecked(stream, readSize: readSize, accepting: Token.agentTokens, limits: limits)
    if let error = outcome.error { expectProtocolError(error) }
    for frame in outcome.frames {
        let message: AgentMessage
        do { message = try AgentMessage(frame) } catch { expectProtocolError(error); return }
        let again = message.frame
        precondition(again.token == frame.token, "\(frame) parses to a message of another token")
        precondition((try? AgentMessage(again)) == message, "\(message) does not round-trip through its frame")
    }
}
