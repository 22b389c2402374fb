// `--log-dir`: every host's output, as it arrives, appended to DIR/NAME.log, so nothing that
// scrolls out of the bounded scrollback is lost. A write error (a full disk) is reported once
// and that host's transcript stops; the dashboard goes on.

import DistRunClient
import Foundation
import NIOCore

final class Transcripts {
    private let folder: String
    private var files: [HostID: FileHandle] = [:]
    private var failed: Set<HostID> = []
    /// The first problem, for the status bar.
    private(set) var problem: String?

    init(folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        self.folder = folder
    }

    func append(_ bytes: ByteBuffer, host: HostID, name: String) {
        guard !failed.contains(host) else { return }
        do {
            let file = try files[host] ?? open(name)
            files[host] = file
            try file.write(contentsOf: Data(bytes.readableBytesView))
        } catch {
            failed.insert(host)
            problem = problem ?? "transcript of \(name) stopped: \(error.localizedDescription)"
        }
    }

    private func open(_ name: String) throws -> FileHandle {
        let path = (folder as NSString).appendingPathComponent(name + ".log")
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try file.seekToEnd()
        return file
    }
}
