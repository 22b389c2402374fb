// The protocol phases of one agent connection, as a value type: options, then one command,
// then input until the client closes it. Each received message yields one action for the
// shell (AgentSession) to carry out; nothing here touches sockets or processes.

import DistRunWire
import NIOCore

/// What the client asked for before its command.
public struct SessionOptions: Equatable, Sendable {
    /// 0 for the original design's clients, which get only `OUT` frames.
    public var protocolVersion = 0
    public var connectStdin = false
    public var separateStderr = false
    /// Run on a pseudo-terminal of this size (stdin, stdout and stderr are all the terminal).
    public var pty: WindowSize?
    public var terminalType = "xterm-256color"
    /// The `keep` option: the session outlives a dropped connection and can be resumed.
    public var keep = false
    /// How long the client asked to keep it (the agent's grace period caps it).
    public var keepSeconds: Int?

    public init(
        protocolVersion: Int = 0, connectStdin: Bool = false, separateStderr: Bool = false, pty: WindowSize? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.connectStdin = connectStdin
        self.separateStderr = separateStderr
        self.pty = pty
    }
}

public struct AgentSessionMachine {
    public enum Phase: Equatable, Sendable {
        case awaitingCommand
        case running(stdinOpen: Bool)
    }

    public enum Action: Equatable, Sendable {
        case none
        case sendVersion(Int)
        case startCommand([String], SessionOptions)
        /// Reattach to a kept session; the shell calls `resumed(_:)` once it has found it.
        case resume(SessionResume)
        /// End the session now (the client's `BYE`).
        case endSession
        case writeInput(ByteBuffer)
        case closeInput
        case resize(WindowSize)
        case signal(CommandSignal)
        case reject(ProtocolError)
    }

    public private(set) var phase = Phase.awaitingCommand
    public private(set) var options = SessionOptions()
    private var versionAnswered = false
    /// An option other than `version` was given (they do not apply to a resumed session).
    private var commandOptionGiven = false

    public init() {}

    public mutating func received(_ message: ClientMessage) -> Action {
        switch (phase, message) {
        case (_, .pong):
            return .none  // a keepalive answer: the shell notes that the client is alive
        case (.awaitingCommand, .option(let option)):
            return apply(option)
        case (.awaitingCommand, .command(let argv)):
            if options.keep && options.protocolVersion < 4 {
                return .reject(
                    .malformedPayload(.option, reason: "keep needs protocol version 4 (send OPT version=4)"))
            }
            if options.pty != nil { options.connectStdin = true }
            phase = .running(stdinOpen: options.connectStdin)
            return .startCommand(argv, options)
        case (.awaitingCommand, _):
            return .reject(.unexpectedFrame(message.frame.token, phase: "before CMD"))
        case (.running, .option), (.running, .command):
            return .reject(.unexpectedFrame(message.frame.token, phase: "after CMD"))
        case (.running, .endSession):
            return .endSession
        case (.running, .signal(let signal)):
            return .signal(signal)
        case (.running, .windowSize(let size)):
            guard options.pty != nil else {
                return .reject(.unexpectedFrame(.windowSize, phase: "without the pty option"))
            }
            return .resize(size)
        case (.running(stdinOpen: false), .input), (.running(stdinOpen: false), .endOfInput):
            let why = options.connectStdin ? "after EOF" : "without the stdin option"
            return .reject(.unexpectedFrame(message.frame.token, phase: why))
        case (.running(stdinOpen: true), .input(let bytes)):
            return .writeInput(bytes)
        case (.running(stdinOpen: true), .endOfInput):
            phase = .running(stdinOpen: false)
            return .closeInput
        }
    }

    /// The kept session the client resumes was found: its options (but this connection's
    /// version) now decide what the client may send.
    public mutating func resumed(_ sessionOptions: SessionOptions) {
        let version = options.protocolVersion
        options = sessionOptions
        options.protocolVersion = version
        phase = .running(stdinOpen: options.connectStdin)
    }

    private mutating func apply(_ option: ClientOption) -> Action {
        switch option {
        case .version, .resume: break
        default: commandOptionGiven = true
        }
        switch option {
        case .version(let number):
            // The first version option decides; repeating it changes nothing.
            guard !versionAnswered else { return .none }
            versionAnswered = true
            options.protocolVersion = min(number, ProtocolVersion.current)
            return number > 0 ? .sendVersion(options.protocolVersion) : .none
        case .stdin:
            options.connectStdin = true
        case .stderr:
            options.separateStderr = true
        case .pty(let size):
            options.pty = size
        case .term(let name):
            options.terminalType = name
        case .keep(let seconds):
            options.keep = true
            options.keepSeconds = seconds
        case .resume(let resume):
            guard options.protocolVersion >= 4 else {
                return .reject(
                    .malformedPayload(.option, reason: "resume needs protocol version 4 (OPT version=4 first)"))
            }
            guard !commandOptionGiven else {
                return .reject(
                    .malformedPayload(
                        .option, reason: "resume cannot follow other options (a resumed session keeps its own)"))
            }
            return .resume(resume)
        }
        return .none
    }
}
