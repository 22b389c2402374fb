// PrefixedLineOutput into files: whole prefixed lines, written in the middle of a batch once a
// stream holds `writeThresholdBytes` (never cutting a line), stderr apart, the unfinished last
// line written when its host finishes, nothing written twice.

import DistRunClient
import Foundation
import NIOCore
import Testing

@testable import DistRunCLI

@Suite struct PrefixedLineOutputTests {
    static let hosts = [HostEndpoint(name: "a", host: "127.0.0.1"), HostEndpoint(name: "web-2", host: "127.0.0.1")]
    static let line = Array("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab\n".utf8)

    /// A sink writing stdout and stderr into two temporary files, and those files' contents.
    final class Files {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString)")
        var sink: PrefixedLineOutput
        private let descriptors: (CInt, CInt)

        init() throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            descriptors = (
                open(folder.appendingPathComponent("out").path, O_WRONLY | O_CREAT, 0o600),
                open(folder.appendingPathComponent("err").path, O_WRONLY | O_CREAT, 0o600)
            )
            sink = PrefixedLineOutput(
                hosts: PrefixedLineOutputTests.hosts, stdout: descriptors.0, stderr: descriptors.1)
        }

        func contents(_ name: String) throws -> [UInt8] {
            Array(try Data(contentsOf: folder.appendingPathComponent(name)))
        }

        deinit {
            close(descriptors.0)
            close(descriptors.1)
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// The lines of `text` that start with `prefix`, without it.
    private func lines(of text: [UInt8], prefix: String) -> [[UInt8]] {
        text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
            .filter { $0.starts(with: Array(prefix.utf8)) }.map { Array($0.dropFirst(prefix.utf8.count)) }
    }

    @Test(.timeLimit(.minutes(1))) func aBatchPastTheThresholdIsWrittenBeforeItEndsInWholeLines() throws {
        let files = try Files()
        let count = PrefixedLineOutput.writeThresholdBytes / Self.line.count * 3
        let stream = Array([[UInt8]](repeating: Self.line, count: count).joined()) + Array("cut-off".utf8)
        let reads = stride(from: 0, to: stream.count, by: 64 << 10).map {
            stream[$0..<min($0 + (64 << 10), stream.count)]
        }
        // One batch: host a's stream in 64 KiB reads, a line of host web-2's after each.
        for read in reads {
            files.sink.write(0, .stdout, ByteBuffer(bytes: read))
            files.sink.write(1, .stdout, ByteBuffer(string: "x\n"))
        }
        let midBatch = try files.contents("out")
        #expect(midBatch.count >= PrefixedLineOutput.writeThresholdBytes, "written before the batch ended")
        #expect(midBatch.last == UInt8(ascii: "\n"), "a write past the threshold ends at a line's end")
        files.sink.hostFinished(0)
        files.sink.flush(final: true)
        let out = try files.contents("out")
        let fromA = lines(of: out, prefix: "a:     ")
        let fromWeb = lines(of: out, prefix: "web-2: ")
        #expect(fromA.count + fromWeb.count == out.filter { $0 == UInt8(ascii: "\n") }.count, "a line without prefix")
        #expect(fromA == [[UInt8]](repeating: Array(Self.line.dropLast()), count: count) + [Array("cut-off".utf8)])
        #expect(fromWeb == [[UInt8]](repeating: Array("x".utf8), count: reads.count))
        #expect(try files.contents("err").isEmpty)
    }

    @Test func stderrLinesGoApartAndEachStreamKeepsItsOwnPartialLine() throws {
        let files = try Files()
        files.sink.write(1, .stdout, ByteBuffer(string: "out 1\nout "))
        files.sink.write(1, .stderr, ByteBuffer(string: "err 1\nerr "))
        files.sink.write(1, .stdout, ByteBuffer(string: "2\n"))
        files.sink.flush(final: false)
        #expect(String(decoding: try files.contents("out"), as: UTF8.self) == "web-2: out 1\nweb-2: out 2\n")
        #expect(String(decoding: try files.contents("err"), as: UTF8.self) == "web-2: err 1\n")
        files.sink.hostFinished(1)
        files.sink.flush(final: true)
        #expect(String(decoding: try files.contents("out"), as: UTF8.self) == "web-2: out 1\nweb-2: out 2\n")
        #expect(String(decoding: try files.contents("err"), as: UTF8.self) == "web-2: err 1\nweb-2: err \n")
    }
}
