// Search in a scrollback: a case-insensitive substring match, one match per line (the leftmost
// occurrence). Searching starts strictly after (forward) or before (backward) the given line, so
// the dashboard can pass the previous match's line to step to the next one; it never wraps
// around. Case folding is the simple per-scalar lowercase mapping (so "É" finds "é" but "SS"
// does not find "ß"), which keeps match columns a plain scalar offset into the line's text.

extension Scrollback {
    /// The leftmost match of `query` in the nearest kept line after `absolute` (`forward`) or
    /// before it, unfinished lines included; nil when the query is empty or no line in that
    /// direction matches. Pass `firstLine - 1` forward or `endLine` backward to search all lines.
    public func search(_ query: String, from absolute: Int, forward: Bool) -> ScrollbackMatch? {
        let needle = query.unicodeScalars.map(Self.folded)
        guard !needle.isEmpty else { return nil }
        var haystack: [UInt32] = []
        for line in linesToSearch(from: absolute, forward: forward) {
            foldedScalars(ofLine: line, into: &haystack)
            if let column = Self.firstIndex(of: needle, in: haystack) {
                return ScrollbackMatch(line: line, columns: column..<column + needle.count)
            }
        }
        return nil
    }

    /// Kept lines strictly after or before `absolute`, nearest first; written to avoid overflow
    /// when callers pass extreme values.
    private func linesToSearch(from absolute: Int, forward: Bool) -> StrideTo<Int> {
        if forward {
            let start = absolute >= endLine ? endLine : max(absolute + 1, firstLine)
            return stride(from: start, to: endLine, by: 1)
        }
        let start = absolute <= firstLine ? firstLine - 1 : min(absolute, endLine) - 1
        return stride(from: start, to: firstLine - 1, by: -1)
    }

    private func foldedScalars(ofLine line: Int, into scalars: inout [UInt32]) {
        scalars.removeAll(keepingCapacity: true)
        var bytes = lineBytes(line).bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar): scalars.append(Self.folded(scalar))
            case .error: scalars.append(0xFFFD)  // cannot happen: the sanitizer stores valid UTF-8
            case .emptyInput: return
            }
        }
    }

    /// The leftmost match of `query` in `text`, in scalar columns, folded as the scrollback is;
    /// nil when the query is empty or absent. The dashboard matches screen rows with it.
    static func firstMatch(of query: String, in text: String) -> Range<Int>? {
        let needle = query.unicodeScalars.map(folded)
        guard !needle.isEmpty, let column = firstIndex(of: needle, in: text.unicodeScalars.map(folded)) else {
            return nil
        }
        return column..<column + needle.count
    }

    private static func folded(_ scalar: Unicode.Scalar) -> UInt32 {
        if scalar.isASCII {
            return (65...90).contains(scalar.value) ? scalar.value + 32 : scalar.value
        }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first!.value : scalar.value
    }

    private static func firstIndex(of needle: [UInt32], in haystack: [UInt32]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        candidates: for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            for offset in 1..<needle.count where haystack[start + offset] != needle[offset] {
                continue candidates
            }
            return start
        }
        return nil
    }
}
