// The agent's protocol phases (AgentSessionMachine), driven message by message with no sockets:
// options then one CMD start the command with those options; `version=N` is answered with the
// lower of N and ours; INP/EOF need CMD and the stdin option, EOF closes stdin once; and every
// frame in the wrong phase is rejected with the reason docs/protocol.md gives.

@testable import DistRunAgent  // SessionOptions has no public initializer
import DistRunWire
import NIOCore
import Testing

/// Feeds `messages` to a fresh machine and returns the actions, in order.
private func actions(_ messages: [ClientMessage], machine: inout AgentSessionMachine) -> [AgentSessionMachine.Action] {
    messages.map { machine.received($0) }
}

private func actions(_ messages: [ClientMessage]) -> [AgentSessionMachine.Action] {
    var machine = AgentSessionMachine()
    return actions(messages, machine: &machine)
}

private let cat = ClientMessage.command(["bash", "-c", "cat"])

@Suite struct AgentSessionMachineTests {
    @Test func optionsThenCommandStartsTheCommandWithThoseOptions() {
        var machine = AgentSessionMachine()
        let result = actions([.option(.stdin), .option(.stderr), cat], machine: &machine)
        let expected = SessionOptions(protocolVersion: 0, connectStdin: true, separateStderr: true)
        #expect(result == [.none, .none, .startCommand(["bash", "-c", "cat"], expected)])
        #expect(machine.phase == .running(stdinOpen: true))
    }

    @Test func commandWithoutOptionsRunsAsVersion0WithStdinClosed() {
        var machine = AgentSessionMachine()
        #expect(actions([.command(["whoami"])], machine: &machine) == [.startCommand(["whoami"], SessionOptions())])
        #expect(machine.phase == .running(stdinOpen: false))
    }

    @Test(arguments: [(1, AgentSessionMachine.Action.sendVersion(1)), (7, .sendVersion(4)), (0, .none)])
    func versionIsNegotiatedDownToOurs(requested: Int, answer: AgentSessionMachine.Action) {
        var machine = AgentSessionMachine()
        #expect(machine.received(.option(.version(requested))) == answer)
        guard case .startCommand(_, let options) = machine.received(cat) else {
            Issue.record("CMD did not start the command")
            return
        }
        #expect(options.protocolVersion == min(requested, ProtocolVersion.current))
    }

    @Test func repeatingTheVersionOptionHasNoFurtherEffect() {
        // docs/protocol.md: "Each option may be sent more than once with no further effect";
        // VER is "first frame", so a second `version=1` must not make the agent send VER again.
        let result = actions([.option(.version(1)), .option(.version(1))])
        #expect(result.first == .sendVersion(1))
        #expect(result.last == AgentSessionMachine.Action.none)
    }

    @Test(arguments: [ClientMessage.input(ByteBuffer(string: "x")), .endOfInput])
    func inputBeforeCommandIsRejected(message: ClientMessage) {
        var machine = AgentSessionMachine()
        #expect(machine.received(.option(.stdin)) == .none)
        #expect(machine.received(message) == .reject(.unexpectedFrame(message.frame.token, phase: "before CMD")))
        #expect(machine.phase == .awaitingCommand)
    }

    @Test(arguments: [ClientMessage.option(.stdin), .command(["ls"])])
    func optionOrCommandAfterCommandIsRejected(message: ClientMessage) {
        let result = actions([.option(.stdin), cat, message])
        #expect(result.last == .reject(.unexpectedFrame(message.frame.token, phase: "after CMD")))
    }

    @Test func rejectionReasonsMatchTheDocument() {
        let afterCommand = actions([cat, .option(.stderr)]).last
        let withoutStdin = actions([cat, .input(ByteBuffer(string: "x"))]).last
        #expect(afterCommand == .reject(.unexpectedFrame(.option, phase: "after CMD")))
        #expect(withoutStdin == .reject(.unexpectedFrame(.input, phase: "without the stdin option")))
        #expect(
            ProtocolError.unexpectedFrame(.option, phase: "after CMD").description == "OPT frame not allowed after CMD")
        #expect(
            ProtocolError.unexpectedFrame(.input, phase: "without the stdin option").description
                == "INP frame not allowed without the stdin option")
    }

    @Test(arguments: [ClientMessage.input(ByteBuffer(string: "x")), .endOfInput])
    func inputWithoutTheStdinOptionIsRejected(message: ClientMessage) {
        let result = actions([.option(.stderr), cat, message])
        #expect(result.last == .reject(.unexpectedFrame(message.frame.token, phase: "without the stdin option")))
    }

    @Test func inputWithTheStdinOptionIsWritten() {
        let result = actions([.option(.stdin), cat, .input(ByteBuffer(string: "hello\n")), .input(ByteBuffer())])
        #expect(Array(result.dropFirst(2)) == [.writeInput(ByteBuffer(string: "hello\n")), .writeInput(ByteBuffer())])
    }

    @Test func endOfInputClosesStdinOnceAndInputAfterItIsRejected() {
        var machine = AgentSessionMachine()
        _ = actions([.option(.stdin), cat], machine: &machine)
        #expect(machine.received(.endOfInput) == .closeInput)
        #expect(machine.phase == .running(stdinOpen: false))
        let late = machine.received(.input(ByteBuffer(string: "late")))
        #expect(late == .reject(.unexpectedFrame(.input, phase: "after EOF")))
        #expect(machine.received(.endOfInput) == .reject(.unexpectedFrame(.endOfInput, phase: "after EOF")))
    }
}
