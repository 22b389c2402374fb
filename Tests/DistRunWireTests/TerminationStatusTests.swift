// EXT payloads (TerminationStatus, formerly ExitStatus): `exit=N` and `signal=N` round-trip,
// anything else is a malformed payload, and the description names signals by their Linux names.

import DistRunWire
import Testing

@Suite struct TerminationStatusTests {
    @Test(arguments: [TerminationStatus.exited(0), .exited(3), .exited(255), .signaled(9), .signaled(15)])
    func statusRoundTrips(status: TerminationStatus) throws {
        #expect(try TerminationStatus(payload: status.payload) == status)
    }

    @Test func payloadsAreTheDocumentedText() {
        #expect(TerminationStatus.exited(3).payload == "exit=3")
        #expect(TerminationStatus.signaled(9).payload == "signal=9")
    }

    @Test(arguments: ["", "exit", "exit=", "exit=x", "code=1", "=3", "signal=9=1", "exit=99999999999"])
    func malformedStatusIsRejected(payload: String) {
        let error = #expect(throws: ProtocolError.self) { try TerminationStatus(payload: payload) }
        guard case .malformedPayload(let token, _)? = error else {
            Issue.record("expected malformedPayload, got \(String(describing: error))")
            return
        }
        #expect(token == .exitStatus)
    }

    @Test func descriptionAndSuccess() {
        #expect(TerminationStatus.exited(0).succeeded)
        #expect(!TerminationStatus.exited(1).succeeded)
        #expect(!TerminationStatus.signaled(0).succeeded)
        #expect(TerminationStatus.exited(3).description == "exit 3")
        #expect(TerminationStatus.signaled(9).description == "killed by SIGKILL")
        #expect(TerminationStatus.signaled(64).description == "killed by signal 64")
    }
}
