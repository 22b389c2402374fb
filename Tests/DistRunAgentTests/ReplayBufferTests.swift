// A kept session's replay buffer and the agent-wide budget: offsets count every output byte from
// the start, the buffer keeps exactly the newest `capacity` bytes (trimming inside a chunk) and
// sheds more when the budget says so, a resume gets the bytes after its offset with their
// tokens, and the loss before the oldest byte held is exact. A budget also reserves only what
// fits (enlarged pipes).

@testable import DistRunAgent
import DistRunWire
import NIOCore
import Testing

private func text(_ frames: [Frame]) -> String { frames.map(\.text).joined() }

@Suite struct ReplayBufferTests {
    @Test func replayFromAnyOffsetGivesTheRestWithTheirTokens() throws {
        var buffer = ReplayBuffer(capacity: 100)
        buffer.append(.output, ByteBuffer(string: "hello "))
        buffer.append(.errorOutput, ByteBuffer(string: "oops "))
        buffer.append(.output, ByteBuffer(string: "world"))
        for offset in 0...16 {
            let (lost, frames) = try buffer.replay(from: UInt64(offset))
            #expect(lost == 0)
            #expect(text(frames) == String("hello oops world".dropFirst(offset)))
        }
        let (_, frames) = try buffer.replay(from: 8)
        #expect(frames.map(\.token) == [.errorOutput, .output])
        #expect(frames.first?.text == "ps ")
    }

    @Test func theBufferKeepsTheNewestBytesAndCountsTheLossExactly() throws {
        var buffer = ReplayBuffer(capacity: 10)
        for word in ["abcdefgh", "ijklmnop", "qrstuvwxyz"] { buffer.append(.output, ByteBuffer(string: word)) }
        #expect(buffer.startOffset == 16 && buffer.endOffset == 26 && buffer.heldBytes == 10)
        let (lost, frames) = try buffer.replay(from: 3)
        #expect(lost == 13)
        #expect(text(frames) == "qrstuvwxyz")
        buffer.append(.output, ByteBuffer(string: "0123"))
        let (lostNow, newest) = try buffer.replay(from: 20)
        #expect(lostNow == 0)
        #expect(text(newest) == "uvwxyz0123")
    }

    @Test func manySmallChunksStayBounded() throws {
        var buffer = ReplayBuffer(capacity: 1000)
        for index in 0..<10_000 { buffer.append(.output, ByteBuffer(string: String(format: "%05d\n", index))) }
        #expect(buffer.heldBytes == 1000)
        let (lost, frames) = try buffer.replay(from: 0)
        #expect(lost == 60_000 - 1000)
        #expect(text(frames).hasSuffix("09999\n"))
        #expect(text(frames).utf8.count == 1000)
    }

    @Test func sheddingDropsTheOldestBytesAndKeepsOffsetsExact() throws {
        var buffer = ReplayBuffer(capacity: 100)
        buffer.append(.output, ByteBuffer(string: "0123456789"))
        #expect(buffer.shed(4) == 4)
        #expect(buffer.startOffset == 4 && buffer.heldBytes == 6)
        #expect(try buffer.replay(from: 0).lost == 4)
        #expect(buffer.shed(100) == 6)
        #expect(buffer.heldBytes == 0 && buffer.endOffset == 10)
    }

    @Test func theBudgetSaysHowMuchToShedBeyondItsLimit() {
        let budget = ByteBudget(limitBytes: 100)
        #expect(budget.change(by: 60) == 0)
        #expect(budget.change(by: 60) == 20)
        #expect(budget.change(by: -20) == 0)
        #expect(budget.held == 100)
    }

    @Test func anOffsetPastTheEndIsRefused() {
        var buffer = ReplayBuffer(capacity: 10)
        buffer.append(.output, ByteBuffer(string: "abc"))
        #expect(throws: ReplayBuffer.ResumeError.beyondEnd(offset: 4, produced: 3)) { try buffer.replay(from: 4) }
    }

    @Test func withoutCapacityOnlyTheOffsetIsKept() throws {
        var buffer = ReplayBuffer(capacity: 0)
        buffer.append(.output, ByteBuffer(string: "abc"))
        #expect(buffer.endOffset == 3 && buffer.heldBytes == 0)
        #expect(try buffer.replay(from: 1).lost == 2)
    }

    @Test func aBudgetReservesWhatFitsAndRefusesTheRestUnchanged() {
        let budget = ByteBudget(limitBytes: 3 << 20)
        #expect(budget.reserve(1 << 20))
        #expect(budget.reserve(2 << 20))
        #expect(!budget.reserve(1))
        #expect(budget.held == 3 << 20)
        #expect(budget.change(by: -(1 << 20)) == 0)
        #expect(budget.reserve(1 << 20))
        #expect(!budget.reserve(1 << 20))
    }
}
