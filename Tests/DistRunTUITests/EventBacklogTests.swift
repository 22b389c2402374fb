// The frame loop's backlog of events (EventBacklog): each host's events in order, the
// preferred (selected) host first, the others taking turns, consecutive output of one stream
// joined up to a limit, and the count of output bytes waiting.

import DistRunClient
import NIOCore
import Testing

@testable import DistRunTUI

struct EventBacklogTests {
    @Test func eachHostKeepsItsOrderAndTheHostsTakeTurns() {
        var backlog = EventBacklog()
        backlog.append([.stateChanged(0, .running), .stateChanged(1, .running), .stateChanged(0, .connecting)])
        backlog.append([.stateChanged(2, .running), .stateChanged(1, .connecting)])
        #expect(
            drain(&backlog, preferring: 9) == ["0 running", "1 running", "2 running", "0 connecting", "1 connecting"])
        #expect(backlog.isEmpty)
    }

    @Test func thePreferredHostGoesFirst() {
        var backlog = EventBacklog()
        backlog.append([.stateChanged(0, .running), .stateChanged(1, .running), .stateChanged(1, .connecting)])
        #expect(drain(&backlog, preferring: 1) == ["1 running", "1 connecting", "0 running"])
    }

    @Test func consecutiveOutputOfOneStreamIsJoined() {
        var backlog = EventBacklog()
        backlog.append([
            output(0, "a"), output(0, "b"), output(0, "c", .stderr), output(0, "d", .stderr),
            .stateChanged(0, .running), output(0, "e"),
        ])
        #expect(drain(&backlog, preferring: 0) == ["0 stdout ab", "0 stderr cd", "0 running", "0 stdout e"])
    }

    @Test func joiningStopsAtTheLimit() {
        var backlog = EventBacklog()
        let half = String(repeating: "x", count: EventBacklog.maxJoinedBytes / 2)
        backlog.append([output(0, half), output(0, half), output(0, "y")])
        let sizes = drainEvents(&backlog, preferring: 0).map { event -> Int in
            guard case .output(_, _, let bytes) = event else { return -1 }
            return bytes.readableBytes
        }
        #expect(sizes == [EventBacklog.maxJoinedBytes, 1])
    }

    private func output(_ host: HostID, _ text: String, _ stream: StreamKind = .stdout) -> HostEvent {
        .output(host, stream, ByteBuffer(string: text))
    }

    private func drainEvents(_ backlog: inout EventBacklog, preferring host: HostID) -> [HostEvent] {
        var events: [HostEvent] = []
        while let event = backlog.next(preferring: host) { events.append(event) }
        return events
    }

    /// "0 running", "1 stdout text".
    private func drain(_ backlog: inout EventBacklog, preferring host: HostID) -> [String] {
        drainEvents(&backlog, preferring: host).map { event in
            switch event {
            case .stateChanged(let id, let state): "\(id) \(state)"
            case .output(let id, let stream, let bytes): "\(id) \(stream) \(String(buffer: bytes))"
            case .outputLost(let id, let bytes): "\(id) lost \(bytes)"
            }
        }
    }
}
