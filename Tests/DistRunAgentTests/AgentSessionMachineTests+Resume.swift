// Kept sessions in the protocol machine: `keep` needs version 4 and is part of the options;
// `resume` takes the place of CMD, alone (besides version), and the found session's options
// then decide what the client may send; `BYE` ends a running session.

@testable import DistRunAgent
import DistRunWire
import NIOCore
import Testing

@Suite struct AgentSessionMachineResumeTests {
    private let resume = SessionResume(id: try! SessionID(payload: String(repeating: "ab", count: 16)), offset: 42)

    @Test func keepIsAnOptionOfVersion4() {
        var machine = AgentSessionMachine()
        _ = machine.received(.option(.version(4)))
        _ = machine.received(.option(.keep(seconds: 60)))
        guard case .startCommand(_, let options) = machine.received(.command(["true"])) else {
            Issue.record("no command started")
            return
        }
        #expect(options.keep && options.keepSeconds == 60)
    }

    @Test func keepBeforeVersion4IsRefused() {
        var machine = AgentSessionMachine()
        _ = machine.received(.option(.version(3)))
        _ = machine.received(.option(.keep(seconds: nil)))
        guard case .reject(let error) = machine.received(.command(["true"])) else {
            Issue.record("keep accepted at version 3")
            return
        }
        #expect(error.description.contains("keep needs protocol version 4"))
    }

    @Test func resumeTakesThePlaceOfTheCommand() {
        var machine = AgentSessionMachine()
        _ = machine.received(.option(.version(4)))
        #expect(machine.received(.option(.resume(resume))) == .resume(resume))
        machine.resumed(SessionOptions(protocolVersion: 2, connectStdin: true))
        #expect(machine.phase == .running(stdinOpen: true))
        #expect(machine.options.protocolVersion == 4, "this connection's version, not the old one's")
        #expect(machine.received(.input(ByteBuffer(string: "x"))) == .writeInput(ByteBuffer(string: "x")))
        #expect(machine.received(.endSession) == .endSession)
    }

    @Test func resumeAfterOtherOptionsOrWithoutVersion4IsRefused() {
        var machine = AgentSessionMachine()
        _ = machine.received(.option(.version(4)))
        _ = machine.received(.option(.stdin))
        guard case .reject(let error) = machine.received(.option(.resume(resume))) else {
            Issue.record("resume after stdin accepted")
            return
        }
        #expect(error.description.contains("resume cannot follow other options"))
        var old = AgentSessionMachine()
        guard case .reject = old.received(.option(.resume(resume))) else {
            Issue.record("resume without version accepted")
            return
        }
    }

    @Test func byeBeforeTheCommandIsAProtocolError() {
        var machine = AgentSessionMachine()
        guard case .reject(let error) = machine.received(.endSession) else {
            Issue.record("BYE before CMD accepted")
            return
        }
        #expect(error.description == "BYE frame not allowed before CMD")
    }
}
