// OPT payloads (ClientOption): each option round-trips through its ASCII form, an option the
// agent does not know (including names reserved for later versions) is rejected rather than
// ignored, and a version must be a non-negative decimal number.

import DistRunWire
import Testing

@Suite struct ClientOptionTests {
    static let sessionID = try! SessionID(payload: "0123456789abcdef0123456789abcdef")

    @Test(arguments: [
        ClientOption.version(0), .version(1), .version(7), .stdin, .stderr, .keep(seconds: nil), .keep(seconds: 90),
        .resume(SessionResume(id: sessionID, offset: 0)), .resume(SessionResume(id: sessionID, offset: 1 << 40)),
    ])
    func optionRoundTrips(option: ClientOption) throws {
        #expect(try ClientOption(payload: option.payload) == option)
    }

    @Test func payloadsAreTheDocumentedText() {
        #expect(ClientOption.version(1).payload == "version=1")
        #expect(ClientOption.stdin.payload == "stdin")
        #expect(ClientOption.stderr.payload == "stderr")
        #expect(ClientOption.keep(seconds: 90).payload == "keep=90")
        #expect(
            ClientOption.resume(SessionResume(id: Self.sessionID, offset: 7)).payload
                == "resume=0123456789abcdef0123456789abcdef@7")
    }

    @Test(arguments: [
        "keep=0", "keep=x", "resume=abc@1", "resume=0123456789abcdef0123456789abcdef",
        "resume=0123456789ABCDEF0123456789ABCDEF@1", "resume=0123456789abcdef0123456789abcdef@-1",
    ])
    func malformedKeptSessionOptionsAreRejected(payload: String) {
        #expect(throws: ProtocolError.self) { try ClientOption(payload: payload) }
    }

    @Test(arguments: ["pty", "term", "resume", "session=1", "stdin=1", "version", "", "STDIN"])
    func unknownOptionIsRejected(payload: String) {
        #expect(throws: ProtocolError.unknownOption(payload)) { try ClientOption(payload: payload) }
    }

    @Test func unknownOptionReasonMatchesTheDocument() {
        #expect(ProtocolError.unknownOption("pty").description == "unknown option 'pty'")
    }

    @Test(arguments: ["version=x", "version=-1", "version=", "version=1.5"])
    func malformedVersionIsRejected(payload: String) {
        let error = #expect(throws: ProtocolError.self) { try ClientOption(payload: payload) }
        guard case .malformedPayload(let token, _)? = error else {
            Issue.record("expected malformedPayload, got \(String(describing: error))")
            return
        }
        #expect(token == .option)
    }
}
