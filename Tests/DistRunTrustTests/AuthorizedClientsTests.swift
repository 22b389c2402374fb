// AuthorizedClients: the agent's authorized_keys. One fingerprint a line, an optional note after
// it, `#` comments and blank lines ignored, CRLF accepted; any other line stops the agent with
// the file, the line number and a message saying what a fingerprint looks like.

import DistRunTrust
import Foundation
import Testing

@Suite struct AuthorizedClientsTests {
    let alice = sampleFingerprint("alice")
    let bob = sampleFingerprint("bob")
    let carol = sampleFingerprint("carol")
    let mallory = sampleFingerprint("mallory")

    @Test func readsFingerprintsAmongCommentsBlankLinesAndNotes() throws {
        let text = """
            # ops laptops

            \(alice)  alice@laptop
               \t
              \(bob)\tbob's build box # rotated in May
            \(carol)# note without space
            # \(mallory) was revoked
            """
        let clients = try AuthorizedClients.parse(text, file: "authorized-clients")
        #expect(clients.fingerprints == [alice, bob, carol])
        #expect(clients.admits(alice) && clients.admits(bob) && clients.admits(carol))
        #expect(!clients.admits(mallory))
    }

    @Test func acceptsCRLFLineEndings() throws {
        let text = "# keys\r\n\r\n\(alice) alice\r\n\(bob)\r\n"
        #expect(try AuthorizedClients.parse(text, file: "f").fingerprints == [alice, bob])
    }

    @Test func emptyTextAdmitsNobody() throws {
        let clients = try AuthorizedClients.parse("", file: "f")
        #expect(clients.fingerprints.isEmpty)
        #expect(!clients.admits(alice))
    }

    @Test func aBadLineNamesTheFileTheLineAndWhatWasExpected() {
        let text = "# keys\n\(alice)\nalice@laptop \(bob)\n"
        let expected = TrustError.badLine(
            file: "/etc/distrun/authorized-clients", line: 3,
            message: "'alice@laptop' is not a key fingerprint (SHA256: and 43 base64 characters, as keygen prints)")
        #expect(throws: expected) { try AuthorizedClients.parse(text, file: "/etc/distrun/authorized-clients") }
        #expect(
            expected.description
                == "/etc/distrun/authorized-clients:3: 'alice@laptop' is not a key fingerprint"
                + " (SHA256: and 43 base64 characters, as keygen prints)")
    }

    @Test func lineNumbersCountCRLFLinesAndBlankLines() {
        let text = "\r\n# a\r\n\(alice)\r\n\r\nSHA256:short\r\n"
        #expect(throws: TrustError.badLine(file: "f", line: 5, message: badFingerprintMessage("SHA256:short"))) {
            try AuthorizedClients.parse(text, file: "f")
        }
    }

    @Test(arguments: ["sha256:x", "SHA256:" + String(repeating: "A", count: 42) + "=", "ssh-ed25519"])
    func aLineStartingWithSomethingElseIsRefused(word: String) {
        #expect(throws: TrustError.badLine(file: "f", line: 1, message: badFingerprintMessage(word))) {
            try AuthorizedClients.parse("\(word) note\n\(alice)\n", file: "f")
        }
    }

    @Test func loadingAMissingFileAdmitsNobody() throws {
        let folder = TemporaryFolder()
        let clients = try AuthorizedClients.load(folder.file(AuthorizedClients.fileName))
        #expect(clients.fingerprints.isEmpty)
        #expect(!clients.admits(alice))
    }

    @Test func loadingAFileReadsItAndReportsItsPath() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.create()
        let path = folder.file(AuthorizedClients.fileName)
        try "\(alice) alice\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try AuthorizedClients.load(path).admits(alice))
        try "\(alice) alice\nbogus\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TrustError.badLine(file: path, line: 2, message: badFingerprintMessage("bogus"))) {
            try AuthorizedClients.load(path)
        }
    }

    @Test func theFileNameIsTheDocumentedOne() {
        #expect(AuthorizedClients.fileName == "authorized-clients")
    }

    private func badFingerprintMessage(_ word: String) -> String {
        "'\(word)' is not a key fingerprint (SHA256: and 43 base64 characters, as keygen prints)"
    }
}
