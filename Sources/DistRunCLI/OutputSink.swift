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

/// `name: line` on stdout (stderr lines on stderr), whole lines only. A stream is written at the
/// end of each batch and whenever it holds `writeThresholdBytes`: when the front end lags a batch
/// holds tens of MB, and writes that large cost the kernel three times the CPU of 1 MiB ones
/// (client sys 2.7 against 0.8 s a GB into a file; 4 MiB: 1.8 s; see docs/benchmarks.md).
struct PrefixedLineOutput: OutputSink {
    static let writeThresholdBytes = 1 << 20

    private struct Stream {
        let descriptor: CInt
        var assemblers: [LineAssembler]
        var pending = ByteBuffer()

        mutating func writeOut() {
            pending.withUnsafeReadableBytes { FileDescriptorWriter.writeAll(descriptor, $0) }
            pending.clear()
        }
    }

    private var stdout: Stream
    private var stderr: Stream

    init(hosts: [HostEndpoint], stdout: CInt = STDOUT_FILENO, stderr: CInt = STDERR_FILENO) {
        let width = hosts.map(\.name.count).max() ?? 0
        let prefixes = hosts.map { $0.name + ":" + String(repeating: " ", count: width - $0.name.count + 1) }
        self.stdout = Stream(descriptor: stdout, assemblers: prefixes.map { LineAssembler(prefix: $0) })
        self.stderr = Stream(descriptor: stderr, assemblers: prefixes.map { LineAssembler(prefix: $0) })
    }

    mutating func write(_ host: HostID, _ stream: StreamKind, _ bytes: ByteBuffer) {
        switch stream {
        case .stdout: Self.write(host, bytes, to: &stdout)
        case .stderr: Self.write(host, bytes, to: &stderr)
        }
    }

    private static func write(_ host: HostID, _ bytes: ByteBuffer, to stream: inout Stream) {
        stream.assemblers[host].append(bytes, into: &stream.pending)
        if stream.pending.readableBytes >= writeThresholdBytes { stream.writeOut() }
    }

    mutating func hostFinished(_ host: HostID) {
        stdout.assemblers[host].flush(into: &stdout.pending)
        stderr.assemblers[host].flush(into: &stderr.pending)
    }

    mutating func flush(final: Bool) {
        stdout.writeOut()
        stderr.writeOut()
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
