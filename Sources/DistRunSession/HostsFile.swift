// hosts.conf: one host a line, as in the original design, plus comments and display names.
//
//     # comment                       blank lines and comments are ignored
//     web-1.example.com               port 6789
//     10.0.0.7:7000                   host:port
//     [::1]:6789   local-v6           IPv6 in brackets (bare when there is no port), a display name
//
// A line is `ADDRESS [NAME]`; the name defaults to the address as written. Names must be
// unique, since output and files are keyed by them. Any bad line is an error naming the file
// and line number; no partial list is returned.

import DistRunClient
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

public enum HostsFile {
    public static func parse(_ text: String, file: String = "hosts.conf") throws -> [HostEndpoint] {
        var hosts: [HostEndpoint] = []
        var lineOfName: [String: Int] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let fields = rawLine.prefix { $0 != "#" }.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !fields.isEmpty else { continue }
            func fail(_ message: String) -> HostsFileError {
                HostsFileError(file: file, line: number, message: message)
            }
            guard fields.count <= 2 else {
                throw fail(
                    "expected 'ADDRESS [NAME]', found \(fields.count) fields: '\(fields.joined(separator: " "))'")
            }
            var endpoint: HostEndpoint
            do { endpoint = try parseAddress(fields[0]) } catch let error as AddressError { throw fail(error.message) }
            endpoint.name = fields.count == 2 ? fields[1] : fields[0]
            guard !endpoint.name.contains("/") else { throw fail("name '\(endpoint.name)' must not contain '/'") }
            if let earlier = lineOfName[endpoint.name] {
                throw fail("duplicate host name '\(endpoint.name)' (first on line \(earlier)); add a distinct NAME")
            }
            lineOfName[endpoint.name] = number
            hosts.append(endpoint)
        }
        guard !hosts.isEmpty else { throw HostsFileError(file: file, line: 0, message: "no hosts listed") }
        return hosts
    }

    /// Reads and parses the file at `path`; a missing or unreadable file is a HostsFileError too.
    public static func load(_ path: String) throws -> [HostEndpoint] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = access(path, R_OK) == 0 ? "not a readable file" : String(cString: strerror(errno))
            throw HostsFileError(file: path, line: 0, message: "cannot read hosts file: \(reason)")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    struct AddressError: Error { var message: String }

    /// `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address without a port.
    static func parseAddress(_ text: String) throws -> HostEndpoint {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw AddressError(message: "missing ']' in '\(text)'") }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard !host.isEmpty else { throw AddressError(message: "empty address in '\(text)'") }
            if rest.isEmpty { return HostEndpoint(host: host) }
            guard rest.hasPrefix(":") else {
                throw AddressError(message: "unexpected '\(rest)' after ']' in '\(text)'")
            }
            return HostEndpoint(host: host, port: try parsePort(String(rest.dropFirst()), in: text))
        }
        let colons = text.filter { $0 == ":" }.count
        if colons >= 2 { return HostEndpoint(host: text) }  // bare IPv6, default port
        if colons == 1 {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard !parts[0].isEmpty else { throw AddressError(message: "missing host before ':' in '\(text)'") }
            return HostEndpoint(host: String(parts[0]), port: try parsePort(String(parts[1]), in: text))
        }
        return HostEndpoint(host: text)
    }

    static func parsePort(_ text: String, in address: String) throws -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw AddressError(message: "bad port '\(text)' in '\(address)' (expected 1-65535)")
        }
        return port
    }
}
