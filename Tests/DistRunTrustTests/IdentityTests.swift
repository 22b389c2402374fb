// Identity: a fresh P-256 key and self-signed certificate, written as two PEM files readable by
// their owner only (files 0600, folder 0700), read back unchanged, never overwritten, and
// usable by NIOSSL. A missing identity is reported with the keygen command that creates one.

import DistRunTrust
import Foundation
import NIOSSL
import Testing

@Suite struct IdentityTests {
    @Test func writtenIdentityLoadsBackUnchanged() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let identity = try Identity.generate(commonName: "distrun-test")
        try identity.write(to: folder.path, name: "client")
        let loaded = try Identity.load(from: folder.path, name: "client")
        #expect(loaded.certificateDER == identity.certificateDER)
        #expect(loaded.fingerprint == identity.fingerprint)
        #expect(loaded.privateKeyPEM == identity.privateKeyPEM)
        #expect(loaded.certificatePEM == identity.certificatePEM)
    }

    @Test func filesAreNamedAfterTheIdentity() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try Identity.generate(commonName: "distrun-agent").write(to: folder.path, name: "agent")
        #expect(try readText(folder.file("agent-key.pem")).contains("-----BEGIN PRIVATE KEY-----"))
        #expect(try readText(folder.file("agent-cert.pem")).contains("-----BEGIN CERTIFICATE-----"))
    }

    @Test func filesAreOwnerOnlyAndTheFolderIsPrivate() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try Identity.generate(commonName: "distrun-test").write(to: folder.path, name: "client")
        #expect(permissionBits(folder.file("client-key.pem")) == 0o600)
        #expect(permissionBits(folder.file("client-cert.pem")) == 0o600)
        #expect(permissionBits(folder.path) == 0o700)
    }

    @Test func writingAgainRefusesToOverwriteTheKey() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let first = try Identity.generate(commonName: "distrun-test")
        try first.write(to: folder.path, name: "client")
        let second = try Identity.generate(commonName: "distrun-test")
        #expect(throws: TrustError.identityExists(path: folder.file("client-key.pem"))) {
            try second.write(to: folder.path, name: "client")
        }
        #expect(try Identity.load(from: folder.path, name: "client").fingerprint == first.fingerprint)
    }

    @Test(arguments: [("agent", "distrund keygen"), ("client", "distrun keygen")])
    func loadingFromAnEmptyFolderNamesTheKeygenCommand(name: String, command: String) throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.create()
        let expected = TrustError.missingIdentity(folder: folder.path, name: name)
        #expect(throws: expected) { try Identity.load(from: folder.path, name: name) }
        #expect(expected.description.contains("'\(command)'"))
        #expect(expected.description.contains(folder.path))
        #expect(!(name == "client" && expected.description.contains("distrund")))
    }

    @Test func loadingWithoutTheKeyFileIsAMissingIdentity() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try Identity.generate(commonName: "distrun-test").write(to: folder.path, name: "client")
        try FileManager.default.removeItem(atPath: folder.file("client-key.pem"))
        #expect(throws: TrustError.missingIdentity(folder: folder.path, name: "client")) {
            try Identity.load(from: folder.path, name: "client")
        }
    }

    @Test func nioCertificateCarriesTheSameBytes() throws {
        let identity = try Identity.generate(commonName: "distrun-test")
        let certificate = try identity.nioCertificate()
        #expect(try certificate.toDERBytes() == identity.certificateDER)
        #expect(TrustStore.fingerprint(of: certificate) == identity.fingerprint)
    }

    @Test func nioPrivateKeyLoadsFromGeneratedAndFromWrittenPEM() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let identity = try Identity.generate(commonName: "distrun-test")
        _ = try identity.nioPrivateKey()
        try identity.write(to: folder.path, name: "client")
        _ = try Identity.load(from: folder.path, name: "client").nioPrivateKey()
    }

    @Test func twoGeneratedIdentitiesDiffer() throws {
        let first = try Identity.generate(commonName: "distrun-test")
        let second = try Identity.generate(commonName: "distrun-test")
        #expect(first.certificateDER != second.certificateDER)
        #expect(first.fingerprint != second.fingerprint)
        #expect(first.privateKeyPEM != second.privateKeyPEM)
    }
}
