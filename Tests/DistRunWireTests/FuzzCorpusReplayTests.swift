// Replays the fuzz seed corpus (Fuzz/corpus/frames, written by Fuzz/make-corpus.py, plus any
// crash-… input kept by Fuzz/run.sh) through the codec in both directions: each stream decodes to
// the same frames and error fed whole or one byte at a time, and its frames parse (or fail with a
// ProtocolError) without trapping. A seed's byte 0 is the fuzzer's control byte (bit 6: 16-byte
// data cap), the rest the stream. The session machine is only fuzzed (no DistRunAgent here).

import DistRunTestSupport
import DistRunWire
import NIOCore
import Testing

@Suite struct FuzzCorpusReplayTests {
    static let corpus = FuzzCorpus("frames")
    static let seedNames = corpus.inputNames

    struct Outcome: Equatable {
        var frames: [Frame] = []
        var error: ProtocolError?
    }

    /// Feeds `stream` in reads of `readSize` bytes, decoding until `nil` after each, then EOF.
    static func decode(_ stream: ArraySlice<UInt8>, readSize: Int, tokens: Set<Token>, limits: FrameLimits) -> Outcome {
        var decoder = FrameDecoder(accepting: tokens, limits: limits)
        var buffer = ByteBuffer()
        var outcome = Outcome()
        do {
            for start in stride(from: stream.startIndex, to: stream.endIndex, by: readSize) {
                buffer.writeBytes(stream[start..<min(start + readSize, stream.endIndex)])
                while let frame = try decoder.decode(buffer: &buffer) { outcome.frames.append(frame) }
            }
            while let frame = try decoder.decodeLast(buffer: &buffer, seenEOF: true) { outcome.frames.append(frame) }
        } catch {
            outcome.error = error as? ProtocolError
            #expect(outcome.error != nil, "not a ProtocolError: \(error)")
        }
        return outcome
    }

    /// What each generated seed is for: how decoding ends in one direction (checked below, so a
    /// regenerated corpus cannot silently stop testing it). Other files (garbage, crash-…): no rule.
    static let seedPoints: [(prefix: String, clientDirection: Bool, end: String)] = [
        ("client-", true, "clean"), ("doc-client", true, "clean"), ("doc-pty", true, "clean"),
        ("doc-v0-client", true, "clean"), ("phase-", true, "clean"), ("malformed-client", true, "clean"),
        ("agent-", false, "clean"), ("doc-agent", false, "clean"), ("doc-v0-agent", false, "clean"),
        ("malformed-agent", false, "clean"), ("truncated-", true, "truncated"), ("oversize-", true, "oversize"),
        ("small-cap", true, "oversize"), ("unknown-token", true, "unknown token"),
    ]

    static func end(_ error: ProtocolError?) -> String {
        switch error {
        case nil: "clean"
        case .truncatedFrame?: "truncated"
        case .payloadTooLarge?: "oversize"
        case .unknownToken?: "unknown token"
        default: "\(error!)"
        }
    }

    @Test func corpusHasAtLeastTenSeeds() {
        #expect(Self.seedNames.count >= 10, "\(Self.corpus.folder.path) has \(Self.seedNames.count) files")
    }

    @Test(arguments: seedNames) func replay(seed: String) throws {
        let bytes = try Self.corpus.input(seed)
        guard let control = bytes.first else { return }
        let limits = control & 0x40 != 0 ? FrameLimits(maxDataPayloadBytes: 16) : FrameLimits()
        let stream = bytes.dropFirst()
        var errors: [ProtocolError?] = []
        for tokens in [Token.clientTokens, Token.agentTokens] {
            let whole = Self.decode(stream, readSize: max(stream.count, 1), tokens: tokens, limits: limits)
            let bytewise = Self.decode(stream, readSize: 1, tokens: tokens, limits: limits)
            #expect(whole == bytewise, "\(seed): whole \(whole) vs one byte at a time \(bytewise)")
            errors.append(whole.error)
            for frame in whole.frames {
                #expect(frame.payload.readableBytes <= limits.maxPayloadBytes(for: frame.token))
                do {  // a parsed message must survive its own frame
                    if tokens == Token.clientTokens {
                        let message = try ClientMessage(frame)
                        #expect((try? ClientMessage(message.frame)) == message, "\(seed): \(frame)")
                    } else {
                        let message = try AgentMessage(frame)
                        #expect((try? AgentMessage(message.frame)) == message, "\(seed): \(frame)")
                    }
                } catch {
                    #expect(error is ProtocolError, "\(seed): \(frame) threw \(error)")
                }
            }
        }
        if let point = Self.seedPoints.first(where: { seed.hasPrefix($0.prefix) }) {
            let error = point.clientDirection ? errors[0] : errors[1]
            #expect(
                Self.end(error) == point.end, "\(seed) no longer tests what its name says: \(String(describing: error))"
            )
        }
    }
}
