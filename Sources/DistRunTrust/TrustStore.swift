// Where keys and trust files live, and the TLS contexts made from them. Every connection is
// TLS 1.3 with a certificate on both sides; who is trusted is decided by fingerprint (the
// agent: authorized-clients; the client: known-agents), not by a certificate authority. So
// both contexts trust no root at all: the handlers' verification callbacks decide, and the
// system's CA bundle (parsed whole at start-up, ~1 MiB of a client's memory) is never loaded.

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif
import NIOCore
import NIOSSL

public enum TrustStore {
    /// `$DISTRUN_HOME`, else /etc/distrun for root's agent, else ~/.config/distrun.
    public static func defaultFolder(forAgent: Bool) -> String {
        let environment = ProcessInfo.processInfo.environment
        if let home = environment["DISTRUN_HOME"], !home.isEmpty { return home }
        if forAgent && getuid() == 0 { return "/etc/distrun" }
        let base =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? PathName.joined(FileManager.default.homeDirectoryForCurrentUser.path, ".config")
        return PathName.joined(base, "distrun")
    }

    /// The agent's side: its certificate, and a client certificate required (checked by
    /// fingerprint once the handshake is done, so the client can be told why it was refused).
    public static func agentContext(_ identity: Identity) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try identity.nioCertificate())],
            privateKey: .privateKey(try identity.nioPrivateKey()))
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([])
        return try NIOSSLContext(configuration: configuration)
    }

    /// The client's side: its certificate; the agent's is checked against known-agents.
    public static func clientContext(_ identity: Identity) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateChain = [.certificate(try identity.nioCertificate())]
        configuration.privateKey = .privateKey(try identity.nioPrivateKey())
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([])
        return try NIOSSLContext(configuration: configuration)
    }

    /// The fingerprint of a peer's leaf certificate.
    public static func fingerprint(of certificate: NIOSSLCertificate) -> Fingerprint? {
        (try? certificate.toDERBytes()).map { Fingerprint(certificateDER: $0) }
    }
}
