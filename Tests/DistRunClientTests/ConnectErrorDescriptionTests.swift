// How errors on an open connection read in the summary: a connection that broke inside a frame
// (cut, agent crashed) is lost, not "bad data" from the agent; a frame the agent really got
// wrong still says so.

@testable import DistRunClient
import DistRunWire
import Testing

@Suite struct ConnectErrorDescriptionTests {
    @Test func aConnectionEndingInsideAFrameIsLostNotBadData() {
        let failure = ConnectErrorDescription.failure(
            for: ProtocolError.truncatedFrame(expectedBytes: 65543, receivedBytes: 41888), trustFailure: nil)
        #expect(failure.kind == .lost)
        #expect(
            failure.reason
                == "connection closed before the exit status arrived, inside a frame (41888 of 65543 bytes came)")
    }

    @Test func aFrameTheAgentGotWrongIsBadData() {
        let failure = ConnectErrorDescription.failure(for: ProtocolError.unknownToken(.command), trustFailure: nil)
        #expect(failure == HostFailure(.lost, "agent sent bad data: unknown token 'CMD'"))
    }
}
