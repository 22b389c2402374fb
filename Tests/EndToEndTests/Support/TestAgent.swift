// A real `distrund` on an ephemeral loopback port, stopped when the test drops it.

import Foundation

final class TestAgent: @unchecked Sendable {
    let child: ChildProcess
    let port: Int

    /// A plaintext agent (`--insecure-no-auth`), or with `keys` one that requires TLS and the
    /// clients listed in that folder's authorized-clients. `launcher` goes before it (e.g.
    /// `nice -n 7`, which execs it).
    init(keys: URL? = nil, extraArguments: [String] = [], launcher: [String] = []) throws {
        let security = keys.map { ["--keys", $0.path] } ?? ["--insecure-no-auth"]
        let argv = launcher + [Products.path("distrund")] + security + ["--port", "0"] + extraArguments
        child = try ChildProcess(argv[0], Array(argv.dropFirst()))
        try child.waitForStdout(containing: "listening on")
        let line = child.stdout.split(separator: "\n").first { $0.contains("listening on") }!
        port = Int(line.split(separator: ":").last!)!
    }

    /// `127.0.0.1:PORT NAME`, a hosts.conf line.
    func hostsLine(name: String) -> String { "127.0.0.1:\(port) \(name)" }

    func stop() { child.kill(SIGTERM) }

    deinit { child.kill() }
}

/// A private folder for one test's files (hosts.conf, outdir), removed afterwards.
final class Scratch: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("distrun-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Processes whose command line contains `marker`, read from /proc.
func processes(matching marker: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> Int32? in
        guard let pid = Int32(entry), pid != getpid(),
            let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
        else { return nil }
        let commandLine = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        return commandLine.contains(marker) ? pid : nil
    }
}
