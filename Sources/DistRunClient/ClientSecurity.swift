// How the client proves itself and checks agents: TLS 1.3 with its own certificate, agents
// pinned by fingerprint in known-agents; or plaintext to agents run with --insecure-no-auth.

import DistRunTrust
import NIOSSL

public enum ClientSecurity: Sendable {
    case mutualTLS(NIOSSLContext, KnownAgents)
    case insecureNoAuth

    /// The client identity and known-agents of `folder` (see `TrustStore.defaultFolder`).
    public static func load(from folder: String) throws -> ClientSecurity {
        let identity = try Identity.load(from: folder, name: "client")
        let known = try KnownAgents(path: PathName.joined(folder, KnownAgents.fileName))
        return .mutualTLS(try TrustStore.clientContext(identity), known)
    }

    /// A problem to tell the user at the end of the run (a pin that could not be saved).
    public var problem: String? {
        if case .mutualTLS(_, let known) = self { return known.saveFailure }
        return nil
    }
}
