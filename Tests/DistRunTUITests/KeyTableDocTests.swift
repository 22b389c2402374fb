// docs/dashboard.md's key table is generated from KeyMap, so the doc and the keys cannot drift.
// `UPDATE_DOCS=1 swift test --filter KeyTableDocTests` rewrites the table after a key change.

import DistRunTUI
import Foundation
import Testing

@Suite struct KeyTableDocTests {
    static let begin = "<!-- keys:begin (generated from KeyMap) -->\n"
    static let end = "<!-- keys:end -->"

    @Test func theDashboardDocListsExactlyTheBoundKeys() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/dashboard.md").standardizedFileURL.path
        var doc = try String(contentsOfFile: path, encoding: .utf8)
        let start = try #require(doc.range(of: Self.begin)).upperBound
        let stop = try #require(doc.range(of: Self.end)).lowerBound
        let table = KeyMap.markdownTable()
        guard ProcessInfo.processInfo.environment["UPDATE_DOCS"] != "1" else {
            doc.replaceSubrange(start..<stop, with: table)
            return try doc.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(String(doc[start..<stop]) == table)
    }
}
