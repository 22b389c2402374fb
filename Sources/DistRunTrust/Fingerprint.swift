// How DistRun names a key: the SHA-256 of the certificate's DER bytes, written like OpenSSH's
// fingerprints ("SHA256:" and unpadded base64). Agents list the fingerprints of the clients
// they admit; clients remember the fingerprint of each agent they met.

import Crypto
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    public let text: String

    public init(certificateDER: [UInt8]) {
        let digest = Data(SHA256.hash(data: certificateDER))
        text = "SHA256:" + digest.base64EncodedString().filter { $0 != "=" }
    }

    /// Accepts `SHA256:` followed by 43 base64 characters; nil otherwise.
    public init?(parsing text: String) {
        let body = text.dropFirst("SHA256:".count)
        guard text.hasPrefix("SHA256:"), body.count == 43,
            body.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") })
        else { return nil }
        self.text = text
    }

    public var description: String { text }
}
