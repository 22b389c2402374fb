// How the agent hangs up on a client it has just told something (`BAD`, `EXT`): a full close
// would drop what the client has not taken yet, and closing with the client's bytes unread would
// turn into a reset that destroys the last frames on the way.

import NIOCore

extension Channel {
    /// Sends FIN once every queued write is out, keeps reading (and dropping) what the client
    /// still sends, and closes fully `linger` later; the client normally hangs up first.
    func closeAfterLinger(_ linger: TimeAmount) {
        let channel = self
        close(mode: .output).whenComplete { _ in
            channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
        }
    }
}
