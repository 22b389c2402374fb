// KeyGeneration: `keygen` writes a new identity into the trust folder and prints its
// fingerprint; for a client it also says to add that fingerprint, on a line of its own, to each
// agent's authorized-clients file. It never replaces an existing key.

import DistRunTrust
import Foundation
import Testing

@Suite struct KeyGenerationTests {
    @Test func clientKeygenWritesTheFilesAndPrintsTheLineToAuthorize() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let output = try KeyGeneration.run(folder: folder.path, name: "client")
        let identity = try Identity.load(from: folder.path, name: "client")
        #expect(permissionBits(folder.file("client-key.pem")) == 0o600)
        #expect(output.contains("Fingerprint: \(identity.fingerprint)"))
        #expect(output.contains("authorized-clients"))
        let lastLine = output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(lastLine == identity.fingerprint.text)
        #expect(try AuthorizedClients.parse(lastLine, file: "pasted").admits(identity.fingerprint))
    }

    @Test func agentKeygenPrintsTheFingerprintWithoutTheAuthorizeStep() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let output = try KeyGeneration.run(folder: folder.path, name: "agent")
        let identity = try Identity.load(from: folder.path, name: "agent")
        #expect(output.contains("Fingerprint: \(identity.fingerprint)"))
        #expect(!output.contains("authorized-clients"))
    }

    @Test func keygenRefusesToReplaceAKey() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        _ = try KeyGeneration.run(folder: folder.path, name: "client")
        let before = try Identity.load(from: folder.path, name: "client").fingerprint
        #expect(throws: TrustError.identityExists(path: folder.file("client-key.pem"))) {
            try KeyGeneration.run(folder: folder.path, name: "client")
        }
        #expect(try Identity.load(from: folder.path, name: "client").fingerprint == before)
    }
}
