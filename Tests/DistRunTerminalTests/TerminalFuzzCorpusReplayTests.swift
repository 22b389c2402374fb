// Replays the terminal fuzz corpus (Fuzz/corpus/terminal: one input for each way libvterm 0.1.4
// was found to crash or hang, plus any crash-… input kept by Fuzz/run.sh terminal) through
// TerminalEmulator, as Fuzz/terminal/shim_fuzzer.c reads it: byte 0 picks the rows (1 + b % 12),
// byte 1 the columns (1 + b % 16), then output where 0xFF r c resizes and 0xFE ends a write.
// Each must run to its end with the cursor on the screen after every step.

import DistRunTestSupport
import Testing

import DistRunTerminal

@Suite struct TerminalFuzzCorpusReplayTests {
    static let corpus = FuzzCorpus("terminal")
    static let inputNames = corpus.inputNames

    enum Step: Equatable {
        case write([UInt8])
        case resize(rows: Int, columns: Int)
    }

    static func rows(_ byte: UInt8) -> Int { 1 + Int(byte) % 12 }
    static func columns(_ byte: UInt8) -> Int { 1 + Int(byte) % 16 }

    /// The steps of one input, as the fuzzer takes them.
    static func steps(_ input: [UInt8]) -> [Step] {
        var steps: [Step] = []
        var from = 2
        var at = 2
        while at <= input.count {
            let resizes = at + 2 < input.count && input[at] == 0xFF
            if at < input.count && !resizes && input[at] != 0xFE {
                at += 1
                continue
            }
            steps.append(.write(Array(input[from..<at])))
            if resizes {
                steps.append(.resize(rows: rows(input[at + 1]), columns: columns(input[at + 2])))
                at += 2
            }
            at += 1
            from = at
        }
        return steps
    }

    @Test func theCorpusHoldsAnInputForEachCrashFound() {
        #expect(Self.inputNames.count >= 13, "\(Self.corpus.folder.path)")
    }

    @Test func stepsFollowTheFuzzersFormat() {
        #expect(
            Self.steps([1, 2, 0x61, 0xFE, 0x62, 0xFF, 3, 4, 0x63]) == [
                .write([0x61]), .write([0x62]), .resize(rows: 4, columns: 5), .write([0x63]),
            ])
    }

    @Test(arguments: inputNames)
    func eachInputRunsToItsEndWithTheCursorOnTheScreen(name: String) throws {
        let input = try Self.corpus.input(name)
        try #require(input.count >= 2)
        let terminal = TerminalEmulator(rows: Self.rows(input[0]), columns: Self.columns(input[1]))
        for step in Self.steps(input) {
            switch step {
            case .write(let bytes): terminal.feed(bytes)
            case .resize(let rows, let columns): terminal.resize(rows: rows, columns: columns)
            }
            let cursor = terminal.cursor
            // A one-column pane's terminal is two columns wide inside (see drs_term_new).
            #expect((0..<terminal.rows).contains(cursor.row) && (0..<max(2, terminal.columns)).contains(cursor.column))
        }
    }
}
