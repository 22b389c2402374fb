// A quick TCP connect to each host, to tell whether any agent is listening at all.

import NIOCore
import NIOPosix

public enum ReachabilityProbe {
    /// True as soon as one host accepts a TCP connection within `timeout`.
    public static func anyReachable(
        _ hosts: [HostEndpoint], timeout: TimeAmount = .milliseconds(500),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async -> Bool {
        await withTaskGroup(of: Bool.self) { tasks in
            for host in hosts.prefix(64) {
                tasks.addTask {
                    guard
                        let channel = try? await ClientBootstrap(group: group).connectTimeout(timeout)
                            .connect(host: host.host, port: host.port).get()
                    else { return false }
                    try? await channel.close()
                    return true
                }
            }
            for await reachable in tasks where reachable {
                tasks.cancelAll()
                return true
            }
            return false
        }
    }
}
