// `distrun -t --pty`: one host, like `ssh -t`. Our terminal goes raw and its bytes go to the
// remote pseudo-terminal as they are typed; the remote output comes back unprefixed; our
// window size follows SIGWINCH. The terminal is restored however the run ends, and the exit
// code is the remote command's (or 255 when the host failed, as ssh does).

import CDistRunSystem
import DistRunClient
import DistRunWire
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif
import NIOCore

enum InteractiveRun {
    static func run(_ host: HostEndpoint, job: JobSpec, security: ClientSecurity) -> Int32 {
        var job = job
        job.connectStdin = true
        job.terminalSize = localWindowSize() ?? WindowSize(columns: 80, rows: 24)
        if let term = ProcessInfo.processInfo.environment["TERM"], !term.isEmpty { job.terminalType = term }
        let manager = ConnectionManager(hosts: [host], job: job, security: security)
        let rawMode = RawTerminalMode()
        defer { rawMode.restore() }
        let signals = SignalPipe([SIGWINCH])
        manager.start()
        StdinForwarder.start(to: manager)
        while true {
            if signals.takeAll().contains(SIGWINCH), let size = localWindowSize() { manager.resize(0, to: size) }
            for event in manager.events.take(timeoutSeconds: 0.1) {
                switch event {
                case .output(_, _, let bytes):
                    bytes.withUnsafeReadableBytes { FileDescriptorWriter.writeAll(STDOUT_FILENO, $0) }
                case .stateChanged(_, .exited(let status)):
                    return status.exitCode
                case .stateChanged(_, .failed(let failure)):
                    rawMode.restore()
                    FileDescriptorWriter.writeAll(STDERR_FILENO, Array("distrun: \(host.name): \(failure)\n".utf8))
                    return 255
                case .stateChanged(_, .reconnecting(let reconnect)):
                    let text = "\r\ndistrun: \(host.name): lost (\(reconnect.reason)), \(reconnect.retryText)\r\n"
                    FileDescriptorWriter.writeAll(STDERR_FILENO, Array(text.utf8))
                case .outputLost(_, let bytes):
                    let text = "\r\ndistrun: \(host.name): \(bytes) bytes of output lost while disconnected\r\n"
                    FileDescriptorWriter.writeAll(STDERR_FILENO, Array(text.utf8))
                case .stateChanged:
                    break
                }
            }
        }
    }

    static func localWindowSize() -> WindowSize? {
        var (columns, rows): (UInt16, UInt16) = (0, 0)
        guard drs_get_window_size(STDOUT_FILENO, &columns, &rows) == 0, columns > 0, rows > 0 else { return nil }
        return WindowSize(columns: Int(columns), rows: Int(rows))
    }
}

/// Our terminal in raw mode (no echo, no line editing, no signals from keys) while it lives.
final class RawTerminalMode {
    private var saved: termios?

    init() {
        guard isatty(STDIN_FILENO) != 0 else { return }
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return }
        saved = settings
        cfmakeraw(&settings)
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
    }

    func restore() {
        guard var settings = saved else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        saved = nil
    }
}

/// Signals turned into bytes on a pipe, read without blocking.
final class SignalPipe {
    private let readEnd: CInt

    init(_ signals: [CInt]) {
        var fds: [CInt] = [0, 0]
        precondition(drs_pipe(&fds, 1) == 0, "cannot create the signal pipe")
        readEnd = fds[0]
        drs_forward_signals(fds[1], signals, CInt(signals.count))
    }

    func takeAll() -> [CInt] {
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = read(readEnd, &bytes, bytes.count)
        return count > 0 ? bytes[..<count].map { CInt($0) } : []
    }
}

extension TerminationStatus {
    /// The exit code a shell would report: the code, or 128 + the signal.
    var exitCode: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }
}
