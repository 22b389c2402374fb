// A real child process for end-to-end tests: started from the built products, its stdout and
// stderr collected as they arrive, with waits on explicit conditions and a deadline (no sleeps).

import Foundation
import NIOConcurrencyHelpers

enum Products {
    /// The folder holding the built executables (beside the test bundle).
    static let directory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("distrund").path),
            url.path != "/"
        {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let stdoutData = NIOLockedValueBox(Data())
    private let stderrData = NIOLockedValueBox(Data())
    /// Output pipes that reached end of file.
    private let closedPipes = NIOLockedValueBox(0)
    private let stdinPipe = Pipe()

    init(_ executable: String, _ arguments: [String], currentDirectory: URL? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdinPipe
        collect(out, into: stdoutData)
        collect(err, into: stderrData)
        try process.run()
    }

    private func collect(_ pipe: Pipe, into box: NIOLockedValueBox<Data>) {
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                self.closedPipes.withLockedValue { $0 += 1 }
            } else {
                box.withLockedValue { $0.append(chunk) }
            }
        }
    }

    var stdout: String { String(decoding: stdoutData.withLockedValue { $0 }, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData.withLockedValue { $0 }, as: UTF8.self) }

    func writeStdin(_ text: String) { stdinPipe.fileHandleForWriting.write(Data(text.utf8)) }
    func closeStdin() { try? stdinPipe.fileHandleForWriting.close() }

    /// Waits until `condition` holds, polling every 20 ms, or throws after `seconds`.
    static func waitUntil(_ what: String, seconds: Double = 10, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else {
                throw TimedOut(description: "timed out after \(seconds) s waiting for \(what)")
            }
            usleep(20_000)
        }
    }

    func waitForStdout(containing text: String, seconds: Double = 10) throws {
        try Self.waitUntil(
            "'\(text)' on stdout (have: \(stdout.suffix(300)) / stderr: \(stderr.suffix(300)))", seconds: seconds
        ) {
            stdout.contains(text)
        }
    }

    /// Waits for the process to exit and its output to be read; returns its exit status.
    @discardableResult
    func waitForExit(seconds: Double = 20) throws -> Int32 {
        try Self.waitUntil("\(process.executableURL!.lastPathComponent) to exit", seconds: seconds) {
            !process.isRunning
        }
        process.waitUntilExit()
        // The handlers may still be reading the last bytes: wait for both pipes' end of file
        // (a grandchild that kept them open, like a tmux server, lets this time out harmlessly).
        try? Self.waitUntil("output pipes to drain", seconds: 3) { closedPipes.withLockedValue { $0 } == 2 }
        return process.terminationStatus
    }

    func kill(_ signal: Int32 = SIGKILL) { Foundation.kill(process.processIdentifier, signal) }

    deinit { if process.isRunning { kill() } }
}
