// Drives the real dashboard inside tmux: a private tmux server per test (its own socket name),
// keys sent with send-keys, the screen read with capture-pane, waits on the expected text with
// a deadline instead of fixed sleeps.

import CDistRunSystem
import Foundation

final class TmuxSession: @unchecked Sendable {
    let socketName = "distrun-test-\(UUID().uuidString.prefix(8))"
    let name = "dash"

    /// Starts `command` (one shell string) in a detached session of `width` x `height`.
    init(command: String, width: Int = 80, height: Int = 24, directory: URL? = nil) throws {
        var shellCommand = "env TERM=tmux-256color LANG=C.UTF-8 ESCDELAY=25 \(command); echo DISTRUN-EXIT=$?; sleep 600"
        if let directory { shellCommand = "cd '\(directory.path)' && " + shellCommand }
        try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), shellCommand])
    }

    deinit { try? tmux(["kill-server"]) }

    /// Runs one tmux client command. Not through Foundation's Process: the tmux server it may
    /// start would inherit the descriptor Process watches, and Process would wait for it forever.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let (code, output) = try spawnAndWait(
            ["/usr/bin/env", "tmux", "-L", socketName, "-f", "/dev/null"] + arguments)
        guard code == 0 || arguments.first == "kill-server" else {
            throw TimedOut(description: "tmux \(arguments.first ?? "") failed (\(code)): \(output)")
        }
        return output
    }

    /// The visible screen as text (`colours` keeps the escape sequences of attributes).
    func screen(colours: Bool = false) -> String {
        (try? tmux(["capture-pane", "-p", "-t", name] + (colours ? ["-e"] : []))) ?? ""
    }

    /// Sends tmux key names ("Enter", "C-]", "PgUp").
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Types `text` literally.
    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// Waits until the screen satisfies `condition`; the failure message shows the screen.
    func waitFor(_ what: String, seconds: Double = 15, _ condition: (String) -> Bool) throws {
        var last = ""
        do {
            try ChildProcess.waitUntil(what, seconds: seconds) {
                last = screen()
                return condition(last)
            }
        } catch {
            throw TimedOut(description: "timed out waiting for \(what); screen:\n\(last)")
        }
    }

    func waitFor(text: String, seconds: Double = 15) throws {
        try waitFor("'\(text)' on screen", seconds: seconds) { $0.contains(text) }
    }
}

extension TmuxSession {
    /// The dashboard command line with the built binary.
    static func dashboard(_ arguments: String) -> String { "'\(Products.path("distrun-tui"))' \(arguments)" }
}

/// Spawns `argv` with only stdin (/dev/null) and stdout+stderr (a temporary file) open, waits,
/// and returns its exit code and output.
func spawnAndWait(_ argv: [String]) throws -> (Int32, String) {
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString)").path
    let output = open(outputPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
    defer {
        close(output)
        close(devNull)
        unlink(outputPath)
    }
    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnv = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (cArgv + cEnv).forEach { free($0) } }
    var pid: pid_t = 0
    let rc = cArgv.map { UnsafePointer($0) }.withUnsafeBufferPointer { argvPointer in
        cEnv.map { UnsafePointer($0) }.withUnsafeBufferPointer { envPointer in
            drs_spawn(argvPointer.baseAddress, envPointer.baseAddress, devNull, output, output, &pid)
        }
    }
    guard rc == 0 else { throw TimedOut(description: "cannot run \(argv[0]): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    return ((status >> 8) & 0xFF, text)
}
