// Events taken from the connection manager and not applied yet. The frame loop applies them a
// slice of time at a time, so keys are read and frames drawn while a flood is being ingested.
// Kept per host: each host's events stay in their order; the selected host's go first (what the
// user types into and looks at answers at once); the other hosts take turns, one event each, so
// no host waits behind another's flood. A host's consecutive output events of one stream come
// out joined (up to `maxJoinedBytes`): the terminal then sees long runs of lines, which it
// ingests faster than the ~4 KiB pieces a pseudo-terminal is read in. Pure: no clock, no I/O.

import DistRunClient
import NIOCore

struct EventBacklog {
    static let maxJoinedBytes = 256 << 10

    /// One host's events; `head` is the next to apply (no shifting on every removal).
    private struct HostQueue {
        var events: [HostEvent] = []
        var head = 0

        var isEmpty: Bool { head == events.count }

        /// The next event, joined with the output events of the same stream right behind it.
        mutating func removeJoined(upTo maxBytes: Int) -> HostEvent {
            let first = removeFirst()
            guard case .output(let host, let stream, var bytes) = first else { return first }
            while !isEmpty, case .output(_, stream, let more) = events[head],
                bytes.readableBytes + more.readableBytes <= maxBytes
            {
                bytes.writeImmutableBuffer(more)
                _ = removeFirst()
            }
            return .output(host, stream, bytes)
        }

        mutating func removeFirst() -> HostEvent {
            let event = events[head]
            head += 1
            if isEmpty {
                events.removeAll(keepingCapacity: true)
                head = 0
            }
            return event
        }
    }

    private var queues: [HostID: HostQueue] = [:]
    /// Hosts with events waiting, in turn order; `turn` indexes the next one to serve.
    private var waiting: [HostID] = []
    private var turn = 0

    var isEmpty: Bool { waiting.isEmpty }

    mutating func append(_ events: [HostEvent]) {
        for event in events {
            if queues[event.host, default: HostQueue()].isEmpty { waiting.append(event.host) }
            queues[event.host, default: HostQueue()].events.append(event)
        }
    }

    /// The next event to apply: `preferred`'s if it has one, else the next host's in turn.
    mutating func next(preferring preferred: HostID) -> HostEvent? {
        guard !waiting.isEmpty else { return nil }
        if turn >= waiting.count { turn = 0 }
        let servedInTurn = queues[preferred]?.isEmpty != false
        let host = servedInTurn ? waiting[turn] : preferred
        let event = queues[host]!.removeJoined(upTo: Self.maxJoinedBytes)
        if queues[host]!.isEmpty {
            queues[host] = nil
            let index = servedInTurn ? turn : waiting.firstIndex(of: host)!
            waiting.remove(at: index)
            if index < turn { turn -= 1 }
        } else if servedInTurn {
            turn += 1
        }
        return event
    }
}
