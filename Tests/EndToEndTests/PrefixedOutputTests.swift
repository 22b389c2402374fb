// `distrun`'s prefixed output under volume, end to end: three hosts each write megabytes of
// lines (so the client writes in the middle of batches), an empty line, a `\r` line, a line
// longer than the line limit and a last line without a newline; stderr lines go to stderr.
// Regrouped by prefix, every host's lines must be exactly what it wrote, in order.

import Foundation
import Testing

@Suite struct PrefixedOutputTests {
    static let script = """
        seq 1 300000; printf '\\n\\r\\n'; echo err1 >&2
        head -c 200000 /dev/zero | tr '\\0' x; echo; echo err2 >&2; printf last
        """

    /// What every host's stdout must come to: the long line in pieces of 65,536 bytes, and the
    /// unfinished last line ended.
    static var expectedLines: [String] {
        let long = String(repeating: "x", count: 200_000).utf8
        let pieces = stride(from: 0, to: long.count, by: 65_536).map { start in
            String(repeating: "x", count: min(65_536, long.count - start))
        }
        return (1...300_000).map(String.init) + ["", "\r"] + pieces + ["last"]
    }

    @Test func everyHostsLinesArriveWholeAndInOrder() throws {
        let scratch = try Scratch()
        let (one, two) = (try TestAgent(), try TestAgent())
        let names = ["a", "bb", "ccc"]
        let hosts = [one.hostsLine(name: "a"), two.hostsLine(name: "bb"), one.hostsLine(name: "ccc")]
        let hostsFile = try scratch.write("h.conf", hosts.joined(separator: "\n") + "\n")
        let child = try ChildProcess(
            Products.path("distrun"),
            ["--insecure-no-auth", "-H", hostsFile, "--stderr", "--", "bash", "-c", Self.script])
        child.closeStdin()
        #expect(try child.waitForExit(seconds: 60) == 0)
        let prefixes = ["a:   ", "bb:  ", "ccc: "]
        let out = regroup(child.stdout, prefixes: prefixes)
        let err = regroup(child.stderr, prefixes: prefixes)
        for (name, prefix) in zip(names, prefixes) {
            #expect(firstDifference(out.lines[prefix] ?? [], Self.expectedLines) == nil, "\(name)'s stdout")
            #expect(err.lines[prefix] == ["err1", "err2"], "\(name)'s stderr")
        }
        #expect(out.unprefixed.isEmpty, "stdout lines without a host's prefix: \(out.unprefixed.prefix(3))")
        #expect(child.stdout.utf8.last == UInt8(ascii: "\n"))
    }

    /// Where two lists of lines first differ: a short failure message, not 300,000 lines.
    private func firstDifference(_ got: [String], _ expected: [String]) -> String? {
        guard got != expected else { return nil }
        let index = zip(got, expected).enumerated().first { $1.0 != $1.1 }?.offset ?? min(got.count, expected.count)
        let show = { (lines: [String]) in index < lines.count ? lines[index].prefix(40).debugDescription : "none" }
        return "line \(index) of \(expected.count) (got \(got.count)): \(show(got)) vs \(show(expected))"
    }

    /// Lines by prefix, split on `\n` alone (a `\r` stays in its line), and the lines with none.
    private func regroup(_ text: String, prefixes: [String]) -> (lines: [String: [String]], unprefixed: [String]) {
        var lines: [String: [String]] = [:]
        var unprefixed: [String] = []
        for raw in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            let line = String(decoding: raw, as: UTF8.self)
            if let prefix = prefixes.first(where: { line.hasPrefix($0) }) {
                lines[prefix, default: []].append(String(line.dropFirst(prefix.count)))
            } else {
                unprefixed.append(line)
            }
        }
        return (lines, unprefixed)
    }
}
