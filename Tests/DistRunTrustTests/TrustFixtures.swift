// Shared helpers for the trust tests: a private scratch folder per test (a fresh UUID under the
// system temporary directory, created only when asked, removed by the test) and the permission
// bits of a file, read with stat(2) so the check is exactly what the kernel enforces.

import DistRunTrust
import Foundation

/// A folder path no other test uses. Not created: tests that need it to exist call `create()`.
struct TemporaryFolder {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("distrun-trust-\(UUID().uuidString)").path
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func create() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The permission bits (e.g. 0o600) of `path`, or nil if it cannot be stat'ed.
func permissionBits(_ path: String) -> mode_t? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o777
}

/// A fingerprint that stands for a key in tests that never need the key itself.
func sampleFingerprint(_ seed: String) -> Fingerprint { Fingerprint(certificateDER: Array(seed.utf8)) }

func readText(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
