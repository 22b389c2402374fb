// A fuzz corpus of the repository (Fuzz/corpus/NAME), replayed by the ordinary tests.

import Foundation

public struct FuzzCorpus: Sendable {
    public let folder: URL

    public init(_ name: String) {
        folder =
            URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/corpus/\(name)").standardized
    }

    /// The inputs' file names, sorted (none when the folder is missing).
    public var inputNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    public func input(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }
}
