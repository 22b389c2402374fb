// Starts a command in its own session and process group, wired to fresh pipes. The parent
// keeps only its ends of the pipes; the child's ends are closed here after the spawn.

import CDistRunSystem
import DistRunWire
import Foundation

public struct SpawnedCommand: Sendable {
    public let pid: pid_t
    /// Write end of the command's stdin, when stdin is connected.
    public let stdinWriter: CInt?
    /// Read end of the command's stdout (and stderr, when merged).
    public let stdoutReader: CInt
    /// Read end of the command's stderr, when it is a separate stream.
    public let stderrReader: CInt?
    /// The pseudo-terminal's master, for a command on a terminal (then the only descriptor).
    public let terminal: CInt?

    init(pid: pid_t, stdinWriter: CInt?, stdoutReader: CInt, stderrReader: CInt?, terminal: CInt? = nil) {
        self.pid = pid
        self.stdinWriter = stdinWriter
        self.stdoutReader = stdoutReader
        self.stderrReader = stderrReader
        self.terminal = terminal
    }

    /// `argv` run as another user through util-linux's setpriv (posix_spawn cannot change the
    /// user itself): user and group ids, that user's supplementary groups and a clean environment.
    public static func droppingPrivileges(_ argv: [String], uid: UInt32, gid: UInt32) -> [String] {
        ["setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--init-groups", "--reset-env", "--"] + argv
    }

    /// Starts `argv` on a new pseudo-terminal of `size`, its controlling terminal, with `TERM` set.
    public static func spawnOnTerminal(
        _ argv: [String], size: WindowSize, terminalType: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> SpawnedCommand {
        var environment = environment
        environment["TERM"] = terminalType
        var pid: pid_t = 0
        var master: CInt = -1
        let rc = withCStrings(argv, environment) { argv, envp in
            drs_spawn_pty(argv, envp, UInt16(size.columns), UInt16(size.rows), &pid, &master)
        }
        guard rc == 0 else { throw SpawnError(program: argv[0], errno: rc) }
        return SpawnedCommand(pid: pid, stdinWriter: nil, stdoutReader: master, stderrReader: nil, terminal: master)
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let program: String
        public let errno: CInt
        public var description: String { "cannot run '\(program)': \(String(cString: strerror(errno)))" }
    }

    /// - Parameters:
    ///   - connectStdin: false gives the command /dev/null, so it sees EOF at once.
    ///   - separateStderr: false sends stderr into the stdout pipe, keeping their order.
    public static func spawn(
        _ argv: [String], connectStdin: Bool, separateStderr: Bool,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> SpawnedCommand {
        var opened: [CInt] = []
        var childEnds: [CInt] = []
        defer { childEnds.forEach { close($0) } }
        do {
            let stdinPair: (read: CInt, write: CInt)? = connectStdin ? try makePipe() : nil
            let devNull = connectStdin ? nil : open("/dev/null", O_RDONLY | O_CLOEXEC)
            let stdoutPair = try makePipe()
            let stderrPair = separateStderr ? try makePipe() : nil
            childEnds = [stdinPair?.read, devNull, stdoutPair.write, stderrPair?.write].compactMap { $0 }
            opened = [stdinPair?.write, stdoutPair.read, stderrPair?.read].compactMap { $0 }

            let pid = try spawnProcess(
                argv, environment: environment, stdin: stdinPair?.read ?? devNull!, stdout: stdoutPair.write,
                stderr: stderrPair?.write ?? stdoutPair.write)
            return SpawnedCommand(
                pid: pid, stdinWriter: stdinPair?.write, stdoutReader: stdoutPair.read,
                stderrReader: stderrPair?.read)
        } catch {
            opened.forEach { close($0) }
            throw error
        }
    }

    private static func makePipe() throws -> (read: CInt, write: CInt) {
        var fds: [CInt] = [0, 0]
        guard drs_pipe(&fds, 0) == 0 else { throw SpawnError(program: "pipe", errno: errno) }
        return (fds[0], fds[1])
    }

    private static func spawnProcess(
        _ argv: [String], environment: [String: String], stdin: CInt, stdout: CInt, stderr: CInt
    ) throws -> pid_t {
        var pid: pid_t = 0
        let rc = withCStrings(argv, environment) { argv, envp in drs_spawn(argv, envp, stdin, stdout, stderr, &pid) }
        guard rc == 0 else { throw SpawnError(program: argv[0], errno: rc) }
        return pid
    }

    /// Calls `body` with NULL-terminated C arrays of `argv` and `KEY=VALUE` environment strings.
    private static func withCStrings<Result>(
        _ argv: [String], _ environment: [String: String],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?) -> Result
    ) -> Result {
        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgv + cEnv).forEach { free($0) } }
        return cArgv.map { UnsafePointer($0) }.withUnsafeBufferPointer { argvPointer in
            cEnv.map { UnsafePointer($0) }.withUnsafeBufferPointer { envPointer in
                body(argvPointer.baseAddress, envPointer.baseAddress)
            }
        }
    }
}
