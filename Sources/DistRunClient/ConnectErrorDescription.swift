// Turns NIO's connect errors into the short reasons a person wants to read.

import NIOCore
import NIOPosix

enum ConnectErrorDescription {
    static func kind(of error: Error) -> HostFailure.Kind {
        if case ChannelError.connectTimeout = error { return .timedOut }
        return .unreachable
    }

    static func describe(_ error: Error, _ job: JobSpec) -> String {
        switch error {
        case ChannelError.connectTimeout:
            return "no answer within \(job.connectTimeout.seconds) s"
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
