// HostsFile: every address form hosts.conf accepts (`host`, `host:port`, `[v6]`, `[v6]:port`, bare
// v6), display names, comments, blank lines and tabs, the default port, and every rejected line.
// Errors must name the file and the 1-based line number, and a bad file never yields a partial
// list; the exact `description` text is pinned for a few errors because users read it.

import DistRunClient
import DistRunSession
import Testing

@Suite struct HostsFileTests {
    @Test(arguments: [
        ("web-1.example.com", HostEndpoint(host: "web-1.example.com", port: 6789)),
        ("10.0.0.7:7000", HostEndpoint(name: "10.0.0.7:7000", host: "10.0.0.7", port: 7000)),
        ("[::1]:6790", HostEndpoint(name: "[::1]:6790", host: "::1", port: 6790)),
        ("::1", HostEndpoint(host: "::1", port: 6789)),
        ("fe80::1:2", HostEndpoint(host: "fe80::1:2", port: 6789)),
        ("[fe80::1]", HostEndpoint(name: "[fe80::1]", host: "fe80::1", port: 6789)),
        ("host:1", HostEndpoint(name: "host:1", host: "host", port: 1)),
        ("host:65535", HostEndpoint(name: "host:65535", host: "host", port: 65535)),
    ])
    func acceptsEachAddressForm(line: String, expected: HostEndpoint) throws {
        #expect(try HostsFile.parse(line) == [expected])
    }

    @Test func defaultPortIs6789() throws {
        #expect(HostEndpoint.defaultPort == 6789)
        #expect(try HostsFile.parse("alpha\n").map(\.port) == [6789])
    }

    @Test func nameDefaultsToAddressAsWrittenAndDisplayNameOverridesIt() throws {
        let hosts = try HostsFile.parse("10.0.0.7:7000\n[::1]:6789 local-v6\nweb-1 web\n")
        #expect(hosts.map(\.name) == ["10.0.0.7:7000", "local-v6", "web"])
        #expect(hosts.map(\.host) == ["10.0.0.7", "::1", "web-1"])
        #expect(hosts.map(\.port) == [7000, 6789, 6789])
    }

    @Test func commentsBlankLinesAndTabsAreIgnored() throws {
        let text = """
            # fleet for the nightly job

            \talpha\t\tA   # trailing comment
               beta:7001#glued comment
            \t
            # [::1] would be here
            gamma
            """
        let hosts = try HostsFile.parse(text)
        #expect(
            hosts == [
                HostEndpoint(name: "A", host: "alpha", port: 6789),
                HostEndpoint(name: "beta:7001", host: "beta", port: 7001),
                HostEndpoint(host: "gamma", port: 6789),
            ])
    }

    /// Swift treats "\r\n" as one Character, so a CRLF file must still split into lines.
    @Test func windowsLineEndingsSplitLines() throws {
        let hosts = try HostsFile.parse("alpha\r\nbeta:7001 b\r\n# c\r\ngamma\r\n")
        #expect(hosts.map(\.name) == ["alpha", "b", "gamma"])
        let error = #expect(throws: HostsFileError.self) { try HostsFile.parse("alpha\r\nbad:0\r\n") }
        #expect(error?.line == 2)
    }

    @Test func keepsFileOrder() throws {
        let names = (1...20).map { "h\($0)" }
        #expect(try HostsFile.parse(names.joined(separator: "\n")).map(\.name) == names)
    }

    @Test(arguments: [
        ("a:0", "bad port '0'"),
        ("a:70000", "bad port '70000'"),
        ("a:65536", "bad port '65536'"),
        ("a:abc", "bad port 'abc'"),
        ("a:", "bad port ''"),
        ("[::1]:0", "bad port '0'"),
        ("[::1", "missing ']'"),
        ("[]:6789", "empty address"),
        ("[::1]x", "unexpected 'x' after ']'"),
        (":6789", "missing host before ':'"),
        ("a b c", "found 3 fields"),
        ("a a/b", "must not contain '/'"),
        ("x/y", "must not contain '/'"),
    ])
    func rejectsBadLineNamingFileAndLine(bad: String, fragment: String) throws {
        let text = "# header\nok-1\n\n\(bad)\nok-2\n"
        let error = #expect(throws: HostsFileError.self) { try HostsFile.parse(text, file: "/etc/fleet.conf") }
        #expect(error?.file == "/etc/fleet.conf")
        #expect(error?.line == 4)
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error?.message))")
        #expect(error?.description.hasPrefix("/etc/fleet.conf:4: ") == true)
    }

    @Test func badPortDescriptionIsExact() {
        let expected = HostsFileError(
            file: "h.conf", line: 2, message: "bad port '70000' in 'db:70000' (expected 1-65535)")
        #expect(throws: expected) {
            try HostsFile.parse("web\ndb:70000\n", file: "h.conf")
        }
        let error = #expect(throws: HostsFileError.self) { try HostsFile.parse("web\ndb:70000\n", file: "h.conf") }
        #expect(error?.description == "h.conf:2: bad port '70000' in 'db:70000' (expected 1-65535)")
    }

    @Test func threeFieldsDescriptionIsExact() {
        let error = #expect(throws: HostsFileError.self) { try HostsFile.parse("a  b\tc\n") }
        #expect(error?.description == "hosts.conf:1: expected 'ADDRESS [NAME]', found 3 fields: 'a b c'")
    }

    @Test func missingBracketDescriptionIsExact() {
        let error = #expect(throws: HostsFileError.self) { try HostsFile.parse("\n\n[fe80::1:6789\n", file: "f") }
        #expect(error?.description == "f:3: missing ']' in '[fe80::1:6789'")
    }

    @Test func duplicateNameReportsBothLines() {
        let text = "alpha\nbeta\n# gap\ngamma beta\n"
        let error = #expect(throws: HostsFileError.self) { try HostsFile.parse(text, file: "dup.conf") }
        #expect(error?.line == 4)
        #expect(
            error?.description
                == "dup.conf:4: duplicate host name 'beta' (first on line 2); add a distinct NAME")
    }

    @Test func sameAddressWithDistinctNamesIsAllowed() throws {
        let hosts = try HostsFile.parse("10.0.0.1 a\n10.0.0.1 b\n")
        #expect(hosts.map(\.name) == ["a", "b"])
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n   \n\t# another\n"])
    func fileWithoutHostsIsAnError(text: String) {
        let error = #expect(throws: HostsFileError.self) { try HostsFile.parse(text, file: "empty.conf") }
        #expect(error?.message == "no hosts listed")
        #expect(error?.description == "empty.conf: no hosts listed")
    }
}
