// Fingerprint: the SHA-256 of a certificate's DER written as OpenSSH does ("SHA256:" and 43
// unpadded base64 characters). The empty input has a published digest, used as the oracle;
// parsing accepts exactly the printed form and nothing near it.

import DistRunTrust
import Testing

/// sha256("") in base64, as `openssl dgst -sha256 -binary | base64` prints it, padding removed.
private let emptyInputBody = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"

@Suite struct FingerprintTests {
    static let base64Alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    @Test func matchesTheKnownDigestOfEmptyInput() {
        #expect(Fingerprint(certificateDER: []).text == "SHA256:" + emptyInputBody)
    }

    @Test(arguments: [[UInt8](), [0], Array("certificate".utf8), [UInt8](repeating: 0xFF, count: 1000)])
    func hasThePrefixAnd43UnpaddedBase64Characters(der: [UInt8]) {
        let text = Fingerprint(certificateDER: der).text
        #expect(text.hasPrefix("SHA256:"))
        let body = text.dropFirst("SHA256:".count)
        #expect(body.count == 43)
        #expect(body.allSatisfy { Self.base64Alphabet.contains($0) })
    }

    @Test func equalBytesGiveEqualFingerprints() {
        let der: [UInt8] = [0x30, 0x82, 0x01, 0x0A, 0x02]
        #expect(Fingerprint(certificateDER: der) == Fingerprint(certificateDER: Array(der)))
        #expect(Fingerprint(certificateDER: der).hashValue == Fingerprint(certificateDER: der).hashValue)
    }

    @Test func differentBytesGiveDifferentFingerprints() {
        #expect(Fingerprint(certificateDER: [1, 2, 3]) != Fingerprint(certificateDER: [1, 2, 4]))
        #expect(Fingerprint(certificateDER: [1, 2, 3]) != Fingerprint(certificateDER: [1, 2, 3, 0]))
    }

    @Test func descriptionIsTheText() {
        let fingerprint = Fingerprint(certificateDER: [7])
        #expect(fingerprint.description == fingerprint.text)
        #expect("\(fingerprint)" == fingerprint.text)
    }

    @Test(arguments: [[UInt8](), [42], Array("a certificate".utf8)])
    func parsingThePrintedFormRoundTrips(der: [UInt8]) {
        let fingerprint = Fingerprint(certificateDER: der)
        #expect(Fingerprint(parsing: fingerprint.text) == fingerprint)
    }

    @Test func parsingKeepsTheTextAsGiven() {
        let text = "SHA256:" + String(repeating: "A", count: 41) + "+/"
        #expect(Fingerprint(parsing: text)?.text == text)
    }

    @Test(arguments: [
        "", "SHA256:", "SHA256", emptyInputBody, "sha256:" + emptyInputBody, "SHA-256:" + emptyInputBody,
        "MD5:" + emptyInputBody, "SHA256 " + emptyInputBody, " SHA256:" + emptyInputBody,
        "SHA256:" + emptyInputBody + " ",
    ])
    func parsingRejectsAWrongPrefix(text: String) {
        #expect(Fingerprint(parsing: text) == nil)
    }

    @Test(arguments: [0, 1, 42, 44, 64])
    func parsingRejectsAWrongLength(bodyLength: Int) {
        #expect(Fingerprint(parsing: "SHA256:" + String(repeating: "A", count: bodyLength)) == nil)
    }

    @Test(arguments: ["-", "_", ".", " ", "é", "٣", "Ａ", "\u{0}", "\n", ":"])
    func parsingRejectsCharactersOutsideBase64(bad: String) {
        let text = "SHA256:" + String(emptyInputBody.dropLast()) + bad
        #expect(Fingerprint(parsing: text) == nil)
    }

    @Test func parsingRejectsPadding() {
        #expect(Fingerprint(parsing: "SHA256:" + emptyInputBody + "=") == nil)
        #expect(Fingerprint(parsing: "SHA256:" + String(emptyInputBody.dropLast()) + "=") == nil)
    }
}
