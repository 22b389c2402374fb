// One host's scrollback: the bounded, searchable history behind a dashboard pane. Raw output
// bytes of each source go through that source's own `TextSanitizer` (escape sequences and
// controls out, UTF-8 validated) into its own unfinished line (`ScrollbackLineEditor`), so a
// stderr chunk never splits a stdout line; a newline moves the line into the shared
// `ScrollbackStorage`, which packs lines into large byte blocks with a 4-byte index entry each.
// Lines have stable absolute numbers: `firstLine` counts evicted lines, so a scroll position or
// search result stays valid while output streams in. Unfinished lines are shown after all
// completed ones, stdout's first, while they are non-empty; they count towards `maxLines` but
// are never evicted themselves. A line longer than `maxLineBytes` is cut into pieces.

public enum LineSource: Sendable {
    case stdout, stderr
}

public struct ScrollbackMatch: Equatable, Sendable {
    /// Absolute line number.
    public var line: Int
    /// Position in the line's text, counted in Unicode scalars.
    public var columns: Range<Int>

    public init(line: Int, columns: Range<Int>) {
        self.line = line
        self.columns = columns
    }
}

public struct Scrollback: Sendable {
    public static let defaultMaxLines = 10_000
    /// Longest stored line in bytes of UTF-8; longer lines are cut into pieces of at most this.
    public static let maxLineBytes = ScrollbackStorage.blockBytes

    public let maxLines: Int
    private var storage = ScrollbackStorage()
    private var stdoutSanitizer = TextSanitizer()
    private var stderrSanitizer = TextSanitizer()
    private var stdoutLine = ScrollbackLineEditor()
    private var stderrLine = ScrollbackLineEditor()

    /// `maxLines` must leave room for both sources' unfinished lines.
    public init(maxLines: Int = Scrollback.defaultMaxLines) {
        precondition(maxLines >= 2, "maxLines must be at least 2")
        self.maxLines = maxLines
    }

    public var firstLine: Int { storage.firstLine }
    public var endLine: Int { storage.endLine + (stdoutLine.isEmpty ? 0 : 1) + (stderrLine.isEmpty ? 0 : 1) }
    public var lineCount: Int { endLine - firstLine }

    /// Feeds raw output bytes (from a pipe, not a terminal).
    public mutating func append(_ bytes: some Sequence<UInt8>, from source: LineSource = .stdout) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { append(UnsafeRawBufferPointer($0), from: source) }
        if done == nil { Array(bytes).withUnsafeBytes { append($0, from: source) } }
    }

    /// Feeds raw output bytes, e.g. from `ByteBuffer.withUnsafeReadableBytes`.
    public mutating func append(_ bytes: UnsafeRawBufferPointer, from source: LineSource = .stdout) {
        // The sanitizer is a small plain value: working on a copy lets the closure mutate self.
        var sanitizer = source == .stdout ? stdoutSanitizer : stderrSanitizer
        var index = 0
        while index < bytes.count {
            // Fast path: plain text at the end of the line is copied in runs, not byte by byte.
            if sanitizer.isInText {
                index += appendPlainText(bytes[index...], from: source)
                guard index < bytes.count else { break }
            }
            sanitizer.consume(bytes[index]) { apply($0, from: source) }
            index += 1
        }
        if source == .stdout { stdoutSanitizer = sanitizer } else { stderrSanitizer = sanitizer }
    }

    /// The line's sanitized text. Precondition: `firstLine..<endLine` contains `absolute`.
    public func text(ofLine absolute: Int) -> String {
        String(decoding: lineBytes(absolute).bytes, as: UTF8.self)
    }

    public func source(ofLine absolute: Int) -> LineSource {
        lineBytes(absolute).source
    }

    /// Bytes held for text and index, including spare capacity (for the memory-shape test).
    var storedBytes: Int {
        storage.storedBytes + stdoutLine.storedBytes + stderrLine.storedBytes
    }

    /// The stored UTF-8 of a kept line, without copying.
    func lineBytes(_ absolute: Int) -> (bytes: ArraySlice<UInt8>, source: LineSource) {
        if absolute < storage.endLine { return storage.line(absolute) }
        precondition(absolute < endLine, "line \(absolute) is past endLine \(endLine)")
        if absolute == storage.endLine && !stdoutLine.isEmpty { return (stdoutLine.bytes[...], .stdout) }
        return (stderrLine.bytes[...], .stderr)
    }

    /// Copies the leading run of printable ASCII, if the line can take it; returns its length.
    private mutating func appendPlainText(_ text: Slice<UnsafeRawBufferPointer>, from source: LineSource) -> Int {
        let copied = withLine(source) { line, _ in line.appendPrintableASCII(text, limit: Self.maxLineBytes) }
        if copied > 0 { evictExcess() }  // the run may have started a new unfinished line
        return copied
    }

    private mutating func apply(_ event: TextEvent, from source: LineSource) {
        withLine(source) { line, storage in
            if event == .newline {
                Self.complete(&line, from: source, into: &storage)
                return
            }
            if line.bytes.count + line.growth(for: event) > Self.maxLineBytes {
                Self.complete(&line, from: source, into: &storage)
            }
            line.apply(event)
        }
        // Every event may complete a line or start an unfinished one; keep the bound at all times.
        evictExcess()
    }

    private static func complete(
        _ line: inout ScrollbackLineEditor, from source: LineSource, into storage: inout ScrollbackStorage
    ) {
        storage.append(line.bytes, from: source)
        line.clear()
    }

    private mutating func evictExcess() {
        while lineCount > maxLines && storage.lineCount > 0 { storage.evictFirstLine() }
    }

    /// Exclusive access to one source's unfinished line together with the storage.
    private mutating func withLine<Result>(
        _ source: LineSource, _ body: (inout ScrollbackLineEditor, inout ScrollbackStorage) -> Result
    ) -> Result {
        switch source {
        case .stdout: body(&stdoutLine, &storage)
        case .stderr: body(&stderrLine, &storage)
        }
    }
}
