// The CMD payload (CommandArguments): version 1's NUL-terminated argument vector keeps every
// argument whole (spaces, quotes, empty arguments), the legacy words form splits on runs of
// spaces, and an empty or badly terminated command is a malformed payload.

import DistRunWire
import NIOCore
import Testing

@Suite struct CommandArgumentsTests {
    @Test(arguments: [
        ["bash", "-c", "echo \"Ola mundo\""],
        ["whoami"],
        ["printf", "%s|", "", "two  spaces", "Olá, ünïcode ✓"],
        ["bash", "-c", "echo 'a b'; exit 3"],
    ])
    func argumentVectorRoundTrips(argv: [String]) throws {
        #expect(try CommandArguments.decode(CommandArguments.encode(argv)) == argv)
    }

    @Test func argumentVectorHasTheDocumentedBytes() throws {
        let payload = CommandArguments.encode(["bash", "-c", "echo \"Ola mundo\""])
        #expect(Array(payload.readableBytesView) == Array("bash\0-c\0echo \"Ola mundo\"\0".utf8))
        #expect(try CommandArguments.decode(payload).count == 3)
    }

    @Test(arguments: [
        ("ls  -l /tmp", ["ls", "-l", "/tmp"]),
        ("whoami", ["whoami"]),
        (" echo   a  ", ["echo", "a"]),
    ])
    func legacyWordsSplitOnRunsOfSpaces(payload: String, argv: [String]) throws {
        #expect(try CommandArguments.decode(ByteBuffer(string: payload)) == argv)
    }

    @Test(arguments: ["", "   ", "\0", "\0ls\0"])
    func emptyCommandIsMalformed(payload: String) {
        #expect(throws: ProtocolError.malformedPayload(.command, reason: "empty command")) {
            try CommandArguments.decode(ByteBuffer(string: payload))
        }
        #expect(
            ProtocolError.malformedPayload(.command, reason: "empty command").description
                == "malformed CMD frame: empty command")
    }

    @Test func missingFinalNulIsMalformed() {
        #expect(throws: ProtocolError.self) { try CommandArguments.decode(ByteBuffer(string: "bash\0-c")) }
    }

    @Test func argumentBytesThatAreNotUTF8AreRejectedNotAltered() throws {
        // A Latin-1 file name cannot be carried in a Swift String; better refuse than run a
        // command whose argument was silently replaced.
        var payload = ByteBuffer(string: "cat\0caf")
        payload.writeBytes([0xE9, 0x00])
        #expect(throws: ProtocolError.malformedPayload(.command, reason: "argument 2 is not valid UTF-8")) {
            try CommandArguments.decode(payload)
        }
    }
}
