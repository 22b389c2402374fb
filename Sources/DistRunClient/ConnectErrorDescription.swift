// Turns NIO's connect errors into the short reasons a person wants to read.

import DistRunTransport
import DistRunWire
import NIOCore
import NIOPosix
import NIOSSL

enum ConnectErrorDescription {
    static func kind(of error: Error) -> HostFailure.Kind {
        if case ChannelError.connectTimeout = error { return .timedOut }
        return .unreachable
    }

    static func describe(_ error: Error, _ job: JobSpec) -> String {
        switch error {
        case ChannelError.connectTimeout:
            return "no answer within \(job.connectTimeout.secondsText) s"
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.first { return describe(failure.error, job) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve '\(error.host)'" }
            return "cannot connect to \(error.host):\(error.port)"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as SocketAddressError:
            return "bad address: \(error)"
        default:
            return "\(error)"
        }
    }
}

extension ConnectErrorDescription {
    /// An error on an open connection, as a host failure a person understands.
    static func failure(for error: Error, trustFailure: String?) -> HostFailure {
        if let trustFailure { return HostFailure(.rejected, trustFailure) }
        switch error {
        case NIOSSLError.uncleanShutdown:
            // The link dropped (TCP closed without TLS's close_notify): lost, not refused.
            return HostFailure(.lost, "connection closed before the exit status arrived")
        case let error as NIOSSLError:
            let text = "\(error)"
            if text.contains("WRONG_VERSION_NUMBER") || text.contains("PACKET_LENGTH_TOO_LONG") {
                return HostFailure(
                    .rejected, "TLS handshake failed: the agent does not speak TLS (started with --insecure-no-auth?)")
            }
            if text.contains("CERTIFICATE_REQUIRED") {
                return HostFailure(.rejected, "TLS handshake failed: the agent wants a client key")
            }
            return HostFailure(.rejected, "TLS handshake failed: \(text)")
        case ProtocolError.unknownToken(let token) where [0x15, 0x16].contains(token.bytes.0) && token.bytes.1 == 3:
            return HostFailure(.rejected, "the agent requires TLS: connect without --insecure-no-auth")
        case ProtocolError.truncatedFrame(let expected, let received):
            // The connection broke mid-frame (a cut, a crash): nothing was wrong with the data.
            let inside = "inside a frame (\(received) of \(expected) bytes came)"
            return HostFailure(.lost, "connection closed before the exit status arrived, \(inside)")
        case let error as ProtocolError:
            return HostFailure(.lost, "agent sent bad data: \(error)")
        default:
            return HostFailure(.lost, "connection error: \(error)")
        }
    }
}
