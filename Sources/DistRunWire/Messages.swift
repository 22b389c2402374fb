// Typed views of frames, one enum per direction. Parsing a frame checks its payload; the
// phase rules (what may come when) live in the agent's session state machine.

import NIOCore

/// What a client sends.
public enum ClientMessage: Equatable, Sendable {
    case option(ClientOption)
    case command([String])
    case input(ByteBuffer)
    case endOfInput
    case windowSize(WindowSize)
    case signal(CommandSignal)
    case pong
    case endSession

    public init(_ frame: Frame) throws {
        switch frame.token {
        case .option: self = .option(try ClientOption(payload: frame.text))
        case .command: self = .command(try CommandArguments.decode(frame.payload))
        case .input: self = .input(frame.payload)
        case .endOfInput: self = .endOfInput
        case .windowSize: self = .windowSize(try WindowSize(payload: frame.text))
        case .signal: self = .signal(try CommandSignal(payload: frame.text))
        case .pong: self = .pong
        case .endSession: self = .endSession
        default: throw ProtocolError.unknownToken(frame.token)
        }
    }

    public var frame: Frame {
        switch self {
        case .option(let option): Frame(.option, text: option.payload)
        case .command(let argv): Frame(.command, CommandArguments.encode(argv))
        case .input(let bytes): Frame(.input, bytes)
        case .endOfInput: Frame(.endOfInput)
        case .windowSize(let size): Frame(.windowSize, text: size.payload)
        case .signal(let signal): Frame(.signal, text: signal.rawValue)
        case .pong: Frame(.pong)
        case .endSession: Frame(.endSession)
        }
    }
}

/// What an agent sends.
public enum AgentMessage: Equatable, Sendable {
    case version(Int)
    case output(ByteBuffer)
    case errorOutput(ByteBuffer)
    case exitStatus(TerminationStatus)
    case failure(String)
    case ping
    case sessionID(SessionID)
    /// This many bytes of output are lost before the replay that follows.
    case outputGap(UInt64)

    public init(_ frame: Frame) throws {
        switch frame.token {
        case .version:
            guard let number = Int(frame.text) else {
                throw ProtocolError.malformedPayload(.version, reason: "'\(frame.text)' is not a number")
            }
            self = .version(number)
        case .output: self = .output(frame.payload)
        case .errorOutput: self = .errorOutput(frame.payload)
        case .exitStatus: self = .exitStatus(try TerminationStatus(payload: frame.text))
        case .failure: self = .failure(frame.text)
        case .ping: self = .ping
        case .sessionID: self = .sessionID(try SessionID(payload: frame.text))
        case .outputGap:
            guard let bytes = UInt64(frame.text) else {
                throw ProtocolError.malformedPayload(.outputGap, reason: "'\(frame.text)' is not a number")
            }
            self = .outputGap(bytes)
        default: throw ProtocolError.unknownToken(frame.token)
        }
    }

    public var frame: Frame {
        switch self {
        case .version(let number): Frame(.version, text: String(number))
        case .output(let bytes): Frame(.output, bytes)
        case .errorOutput(let bytes): Frame(.errorOutput, bytes)
        case .exitStatus(let status): Frame(.exitStatus, text: status.payload)
        case .failure(let reason): Frame(.failure, text: reason)
        case .ping: Frame(.ping)
        case .sessionID(let id): Frame(.sessionID, text: id.text)
        case .outputGap(let bytes): Frame(.outputGap, text: String(bytes))
        }
    }
}
