// A key pair and its self-signed certificate: who an agent or a client is. Trust works like
// SSH, by fingerprint, so no certificate authority is involved. Keys are ECDSA P-256; files are
// PEM, written mode 0600 in a folder of mode 0700.

import Crypto
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif
import NIOSSL
import SwiftASN1
import X509

public struct Identity: Sendable {
    public let certificateDER: [UInt8]
    public let certificatePEM: String
    public let privateKeyPEM: String

    public var fingerprint: Fingerprint { Fingerprint(certificateDER: certificateDER) }

    /// A fresh key pair and a certificate for `commonName`, valid for ten years.
    public static func generate(commonName: String) throws -> Identity {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(3650 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.notCertificateAuthority) },
            issuerPrivateKey: .init(key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return Identity(
            certificateDER: serializer.serializedBytes, certificatePEM: try certificate.serializeAsPEM().pemString,
            privateKeyPEM: key.pemRepresentation)
    }

    /// Reads `NAME-cert.pem` and `NAME-key.pem` from `folder`.
    public static func load(from folder: String, name: String) throws -> Identity {
        let (certificatePath, keyPath) = paths(folder, name)
        let certificatePEM: String
        let keyPEM: String
        do {
            certificatePEM = try String(contentsOfFile: certificatePath, encoding: .utf8)
            keyPEM = try String(contentsOfFile: keyPath, encoding: .utf8)
        } catch {
            throw TrustError.missingIdentity(folder: folder, name: name)
        }
        let der = try PEMDocument(pemString: certificatePEM).derBytes
        return Identity(certificateDER: der, certificatePEM: certificatePEM, privateKeyPEM: keyPEM)
    }

    /// Writes the two files (0600) into `folder` (created 0700); refuses to overwrite a key.
    public func write(to folder: String, name: String) throws {
        let (certificatePath, keyPath) = Self.paths(folder, name)
        guard !FileManager.default.fileExists(atPath: keyPath) else { throw TrustError.identityExists(path: keyPath) }
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try SecretFile.write(privateKeyPEM, to: keyPath)
        try SecretFile.write(certificatePEM, to: certificatePath)
    }

    public func nioCertificate() throws -> NIOSSLCertificate {
        try NIOSSLCertificate(bytes: certificateDER, format: .der)
    }
    public func nioPrivateKey() throws -> NIOSSLPrivateKey {
        try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
    }

    static func paths(_ folder: String, _ name: String) -> (certificate: String, key: String) {
        let base = PathName.joined(folder, name)
        return (base + "-cert.pem", base + "-key.pem")
    }
}

/// Files only their owner may read: created with mode 0600 before anything is written.
enum SecretFile {
    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TrustError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard Glibc.write(fd, bytes, bytes.count) == bytes.count else {
            throw TrustError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
