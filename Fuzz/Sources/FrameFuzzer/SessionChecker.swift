// Drives AgentSessionMachine and checks each action against the phase rules of
// docs/protocol.md: VER at most once, for the first `version` option with N > 0, as min(N, ours);
// one command at most, with the options seen before it; input and EOF only while stdin is open;
// WIN only with pty; options and the command are never refused before CMD.

import DistRunAgent
import DistRunWire

struct SessionChecker {
    private var machine = AgentSessionMachine()
    private var started = false
    private var stdinOpen = false
    private var versionSeen = false
    private var wantsStdin = false
    private var pty: WindowSize?

    /// Feeds one message; false once the machine refused it (the agent then ends the session).
    mutating func receive(_ message: ClientMessage) -> Bool {
        let action = machine.received(message)
        defer {
            precondition(
                machine.phase == (started ? .running(stdinOpen: stdinOpen) : .awaitingCommand), "phase drifted")
        }
        switch (action, message) {
        case (.reject(let error), _):
            precondition(!error.description.isEmpty, "empty reason")
            switch message {
            case .option, .command: precondition(started, "\(message) refused before CMD: \(error)")
            case .input, .endOfInput: precondition(!stdinOpen, "\(message) refused with stdin open: \(error)")
            case .windowSize: precondition(!started || pty == nil, "WIN refused on a pty: \(error)")
            case .signal: precondition(!started, "SIG refused after CMD: \(error)")
            }
            return false
        case (.none, .option(let option)), (.sendVersion, .option(let option)):
            precondition(!started, "option accepted after CMD")
            if case .version(let number) = option, !versionSeen {
                versionSeen = true
                precondition(action == (number > 0 ? .sendVersion(min(number, ProtocolVersion.current)) : .none))
            } else {
                precondition(action == .none, "\(action) for \(option)")
            }
            if option == .stdin { wantsStdin = true }
            if case .pty(let size) = option { pty = size }
        case (.startCommand(let argv, let options), .command(let sent)):
            precondition(!started && argv == sent, "second or altered command")
            precondition(options.pty == pty && options.connectStdin == (wantsStdin || pty != nil), "options lost")
            started = true
            stdinOpen = options.connectStdin
        case (.writeInput(let bytes), .input(let sent)):
            precondition(started && stdinOpen && bytes == sent, "input passed with stdin closed")
        case (.closeInput, .endOfInput):
            precondition(started && stdinOpen, "EOF passed with stdin closed")
            stdinOpen = false
        case (.resize(let size), .windowSize(let sent)):
            precondition(started && pty != nil && size == sent, "resize without pty")
        case (.signal(let signal), .signal(let sent)):
            precondition(started && signal == sent, "signal before CMD")
        default:
            preconditionFailure("\(action) in answer to \(message)")
        }
        return true
    }
}
