// Where `distrun` puts each host's output: prefixed lines on the terminal, or files per host.
// Sinks are used from the one thread that drains the event queue, so they need no locks.

import DistRunClient
import DistRunSession
import DistRunTrust
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif
import NIOCore

protocol OutputSink {
    mutating func write(_ host: HostID, _ stream: StreamKind, _ bytes: ByteBuffer)
    /// The host's output has ended: write out any unfinished line.
    mutating func hostFinished(_ host: HostID)
    /// Called after each batch of events, and once at the end with `final` set.
    mutating func flush(final: Bool)
}

/// `name: line` on stdout (stderr lines on stderr), whole lines only, one write per batch.
struct PrefixedLineOutput: OutputSink {
    private var assemblers: [StreamKind: [LineAssembler]]
    private var pending: [StreamKind: [UInt8]] = [.stdout: [], .stderr: []]

    init(hosts: [HostEndpoint]) {
        let width = hosts.map(\.name.count).max() ?? 0
        let prefixes = hosts.map { $0.name + ":" + String(repeating: " ", count: width - $0.name.count + 1) }
        assemblers = [
            .stdout: prefixes.map { LineAssembler(prefix: $0) },
            .stderr: prefixes.map { LineAssembler(prefix: $0) },
        ]
    }

    mutating func write(_ host: HostID, _ stream: StreamKind, _ bytes: ByteBuffer) {
        assemblers[stream]![host].append(bytes, into: &pending[stream]!)
    }

    mutating func hostFinished(_ host: HostID) {
        for stream in [StreamKind.stdout, .stderr] { assemblers[stream]![host].flush(into: &pending[stream]!) }
    }

    mutating func flush(final: Bool) {
        for stream in [StreamKind.stdout, .stderr] {
            FileDescriptorWriter.writeAll(stream == .stdout ? STDOUT_FILENO : STDERR_FILENO, pending[stream]!)
            pending[stream]!.removeAll(keepingCapacity: true)
        }
    }
}

/// `DIR/NAME.out` (and `DIR/NAME.err` with separate stderr) per host, bytes as they came. A file
/// is opened as the shell's `>` opens it: created or truncated, and a symbolic link is followed
/// (`NAME.out -> /dev/null` discards a host's output; replacing the link, as an atomic create
/// does, wrote it to disk instead).
struct DirectoryOutput: OutputSink {
    private var files: [StreamKind: [CInt]] = [:]

    init(directory: String, hosts: [HostEndpoint], separateStderr: Bool) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func open(_ suffix: String) throws -> [CInt] {
            try hosts.map { host in
                let path = PathName.joined(directory, host.name + suffix)
                let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
                guard fd >= 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
                return fd
            }
        }
        files[.stdout] = try open(".out")
        files[.stderr] = separateStderr ? try open(".err") : files[.stdout]
    }

    mutating func write(_ host: HostID, _ stream: StreamKind, _ bytes: ByteBuffer) {
        bytes.withUnsafeReadableBytes { FileDescriptorWriter.writeAll(files[stream]![host], $0) }
    }

    mutating func hostFinished(_ host: HostID) {}

    mutating func flush(final: Bool) {
        guard final else { return }
        Set(files.values.flatMap { $0 }).forEach { close($0) }
    }
}

enum FileDescriptorWriter {
    /// Writes all of `bytes`, retrying short writes. A closed reader (EPIPE) drops the rest:
    /// `distrun … | head` must still finish the run and report.
    static func writeAll(_ fd: CInt, _ bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

/// A host's output file that could not be opened, with the system's reason.
struct OutputFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String { "cannot write \(path): \(reason)" }
}
