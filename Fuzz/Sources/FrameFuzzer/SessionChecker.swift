// Drives AgentSessionMachine and checks each action against the phase rules of
// docs/protocol.md: VER at most once, for the first `version` option with N > 0, as min(N, ours);
// one command at most, with the options seen before it; input and EOF only while stdin is open;
// WIN only with pty; options and the command are never refused before CMD, except keep before
// version 4 and resume after other options or before version 4; BYE only after CMD or resume.

import DistRunAgent
import DistRunWire

struct SessionChecker {
    private var machine = AgentSessionMachine()
    private var started = false
    private var stdinOpen = false
    private var versionSeen = false
    private var wantsStdin = false
    private var pty: WindowSize?
    private var keep = false
    private var version = 0
    private var otherOptionSeen = false

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
            case .option(.resume):
                precondition(started || version < 4 || otherOptionSeen, "resume refused: \(error)")
            case .option: precondition(started, "\(message) refused before CMD: \(error)")
            case .command: precondition(started || (keep && version < 4), "CMD refused: \(error)")
            case .endSession, .pong: precondition(!started, "\(message) refused after CMD: \(error)")
            case .input, .endOfInput: precondition(!stdinOpen, "\(message) refused with stdin open: \(error)")
            case .windowSize: precondition(!started || pty == nil, "WIN refused on a pty: \(error)")
            case .signal: precondition(!started, "SIG refused after CMD: \(error)")
            }
            return false
        case (.none, .option(let option)), (.sendVersion, .option(let option)):
            precondition(!started, "option accepted after CMD")
            if case .version(let number) = option, !versionSeen {
                versionSeen = true
                version = min(number, ProtocolVersion.current)
                precondition(action == (number > 0 ? .sendVersion(min(number, ProtocolVersion.current)) : .none))
            } else {
                precondition(action == .none, "\(action) for \(option)")
            }
            switch option {
            case .version: break
            case .keep: keep = true; otherOptionSeen = true
            default: otherOptionSeen = true
            }
            if option == .stdin { wantsStdin = true }
            if case .pty(let size) = option { pty = size }
        case (.startCommand(let argv, let options), .command(let sent)):
            precondition(!started && argv == sent, "second or altered command")
            precondition(options.pty == pty && options.connectStdin == (wantsStdin || pty != nil), "options lost")
            precondition(options.keep == keep && (!keep || version >= 4), "keep lost or without version 4")
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
        case (.resume(let resume), .option(.resume(let sent))):
            precondition(!started && version >= 4 && !otherOptionSeen && resume == sent, "resume out of place")
            // The agent found the session: it runs with that session's options (here: stdin).
            var options = SessionOptions()
            options.connectStdin = true
            machine.resumed(options)
            started = true
            stdinOpen = true
        case (.none, .pong):
            break
        case (.endSession, .endSession):
            precondition(started, "BYE before CMD")
        default:
            preconditionFailure("\(action) in answer to \(message)")
        }
        return true
    }
}
