// KnownAgents: the client's known_hosts. The first key seen at an address is pinned and written
// to the file at once; the same key later is known; another key is refused with the pinned one
// named, and never replaces it. A line that is not `ADDRESS FINGERPRINT` stops the client.

import DistRunTrust
import Foundation
import Testing

@Suite struct KnownAgentsTests {
    let first = sampleFingerprint("first agent key")
    let second = sampleFingerprint("second agent key")

    @Test func firstUsePinsAndRecordsTheKey() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.create()
        let path = folder.file(KnownAgents.fileName)
        let agents = try KnownAgents(path: path)
        #expect(agents.verify(address: "build1:7070", fingerprint: first) == .pinned)
        #expect(try readText(path) == "build1:7070 \(first)\n")
        #expect(permissionBits(path) == 0o600)
    }

    @Test func aPinThatCannotBeSavedIsReported() throws {
        let agents = try KnownAgents(path: "/nonexistent-\(UUID().uuidString)/known-agents")
        #expect(agents.saveFailure == nil)
        #expect(agents.verify(address: "build1:7070", fingerprint: first) == .pinned)
        let failure = try #require(agents.saveFailure)
        #expect(failure.contains("cannot save new agent keys") && failure.contains("No such file or directory"))
    }

    @Test func theSameKeyIsKnownAfterwardsAndNotRecordedTwice() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.create()
        let path = folder.file(KnownAgents.fileName)
        let agents = try KnownAgents(path: path)
        _ = agents.verify(address: "build1:7070", fingerprint: first)
        #expect(agents.verify(address: "build1:7070", fingerprint: first) == .known)
        #expect(try readText(path) == "build1:7070 \(first)\n")
    }

    @Test func anotherKeyIsRefusedAndThePinnedOneKept() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.create()
        let path = folder.file(KnownAgents.fileName)
        let agents = try KnownAgents(path: path)
        _ = agents.verify(address: "build1:7070", fingerprint: first)
        #expect(agents.verify(address: "build1:7070", fingerprint: second) == .changed(expected: first))
        #expect(agents.verify(address: "build1:7070", fingerprint: second) == .changed(expected: first))
        #expect(agents.verify(address: "build1:7070", fingerprint: first) == .known)
        #expect(try readText(path) == "build1:7070 \(first)\n")
    }

    @Test func aNewListReadingTheSameFileKnowsTheAddress() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.create()
        let path = folder.file(KnownAgents.fileName)
        _ = try KnownAgents(path: path).verify(address: "[::1]:7070", fingerprint: first)
        let reread = try KnownAgents(path: path)
        #expect(reread.verify(address: "[::1]:7070", fingerprint: first) == .known)
        #expect(reread.verify(address: "[::1]:7070", fingerprint: second) == .changed(expected: first))
    }

    @Test func addressesArePinnedIndependently() throws {
        let agents = try KnownAgents(path: nil)
        #expect(agents.verify(address: "a:7070", fingerprint: first) == .pinned)
        #expect(agents.verify(address: "a:7071", fingerprint: second) == .pinned)
        #expect(agents.verify(address: "b:7070", fingerprint: first) == .pinned)
        #expect(agents.verify(address: "a:7071", fingerprint: first) == .changed(expected: second))
    }

    @Test func inMemoryListPinsKnowsAndRefuses() throws {
        let agents = try KnownAgents(path: nil)
        #expect(agents.verify(address: "build1:7070", fingerprint: first) == .pinned)
        #expect(agents.verify(address: "build1:7070", fingerprint: first) == .known)
        #expect(agents.verify(address: "build1:7070", fingerprint: second) == .changed(expected: first))
    }

    @Test func aMissingFileIsAnEmptyList() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.create()
        let agents = try KnownAgents(path: folder.file(KnownAgents.fileName))
        #expect(agents.verify(address: "build1:7070", fingerprint: first) == .pinned)
    }

    @Test func pinReplacesTheKeyInMemoryAndInTheFile() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.create()
        let path = folder.file(KnownAgents.fileName)
        let agents = try KnownAgents(path: path)
        _ = agents.verify(address: "build1:7070", fingerprint: first)
        agents.pin(address: "build1:7070", fingerprint: second)
        #expect(agents.verify(address: "build1:7070", fingerprint: second) == .known)
        #expect(agents.verify(address: "build1:7070", fingerprint: first) == .changed(expected: second))
        #expect(try KnownAgents(path: path).verify(address: "build1:7070", fingerprint: second) == .known)
    }

    @Test func readsCommentsAndBlankLines() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.create()
        let path = folder.file(KnownAgents.fileName)
        let text = "# pinned by hand\r\n\r\nbuild1:7070 \(first) # rack 4\r\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try KnownAgents(path: path).verify(address: "build1:7070", fingerprint: first) == .known)
    }

    @Test(arguments: ["build1:7070", "build1:7070 SHA256:short", "build1:7070 bogus \(sampleFingerprint("x"))"])
    func aMalformedLineNamesTheFileAndLine(line: String) throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.create()
        let path = folder.file(KnownAgents.fileName)
        try "# agents\nbuild2:7070 \(first)\n\(line)\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TrustError.badLine(file: path, line: 3, message: "expected 'ADDRESS SHA256:…'")) {
            try KnownAgents(path: path)
        }
    }
}
