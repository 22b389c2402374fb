// TrustStore: the TLS contexts built from an identity (a matching key and certificate are
// accepted, a key from another identity is not), the peer fingerprint helper, and the trust
// folder chosen from $DISTRUN_HOME. The environment is process-global, so that test is alone in
// a serialized suite and puts the variable back as it found it.

import DistRunTrust
import Foundation
import Testing

@Suite struct TrustStoreTests {
    @Test func agentContextBuildsFromAGeneratedIdentity() throws {
        _ = try TrustStore.agentContext(try Identity.generate(commonName: "distrun-agent"))
    }

    @Test func clientContextBuildsFromAGeneratedIdentity() throws {
        _ = try TrustStore.clientContext(try Identity.generate(commonName: "distrun-client"))
    }

    @Test func contextsBuildFromAnIdentityReadBackFromDisk() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try Identity.generate(commonName: "distrun-agent").write(to: folder.path, name: "agent")
        let identity = try Identity.load(from: folder.path, name: "agent")
        _ = try TrustStore.agentContext(identity)
        _ = try TrustStore.clientContext(identity)
    }

    @Test func aKeyThatIsNotTheCertificatesIsRefused() throws {
        let folder = TemporaryFolder()
        let other = TemporaryFolder()
        defer {
            folder.remove()
            other.remove()
        }
        try Identity.generate(commonName: "distrun-agent").write(to: folder.path, name: "agent")
        try Identity.generate(commonName: "distrun-agent").write(to: other.path, name: "agent")
        try FileManager.default.removeItem(atPath: folder.file("agent-key.pem"))
        try FileManager.default.copyItem(atPath: other.file("agent-key.pem"), toPath: folder.file("agent-key.pem"))
        let mismatched = try Identity.load(from: folder.path, name: "agent")
        #expect(throws: (any Error).self) { try TrustStore.agentContext(mismatched) }
        #expect(throws: (any Error).self) { try TrustStore.clientContext(mismatched) }
    }

    @Test func peerFingerprintIsTheCertificateFingerprint() throws {
        let identity = try Identity.generate(commonName: "distrun-agent")
        #expect(TrustStore.fingerprint(of: try identity.nioCertificate()) == identity.fingerprint)
    }
}

@Suite(.serialized) struct TrustStoreEnvironmentTests {
    @Test func defaultFolderHonoursDistrunHome() {
        let saved = getenv("DISTRUN_HOME").map { String(cString: $0) }
        defer {
            if let saved { setenv("DISTRUN_HOME", saved, 1) } else { unsetenv("DISTRUN_HOME") }
        }
        setenv("DISTRUN_HOME", "/tmp/distrun-home-test", 1)
        #expect(TrustStore.defaultFolder(forAgent: true) == "/tmp/distrun-home-test")
        #expect(TrustStore.defaultFolder(forAgent: false) == "/tmp/distrun-home-test")
        setenv("DISTRUN_HOME", "", 1)
        #expect(TrustStore.defaultFolder(forAgent: false) != "")
        #expect(TrustStore.defaultFolder(forAgent: false).hasSuffix("/distrun"))
    }
}
