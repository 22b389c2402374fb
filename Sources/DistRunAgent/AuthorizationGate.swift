// Stands between TLS and the frame decoder until the client is known: nothing the client sends
// reaches the protocol before its certificate's fingerprint is found in authorized-clients. A
// client that is not admitted gets a `BAD` frame saying why (over TLS) and is closed; one that
// does not finish in time is dropped at the deadline.

import DistRunTrust
import DistRunWire
import Logging
import NIOCore
import NIOSSL
import NIOTLS

final class AuthorizationGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let authorized: AuthorizedClients
    private let admission: AdmissionControl
    private let deadline: TimeAmount
    private let logger: Logger
    private var deadlineTask: Scheduled<Void>?
    private var refused = false

    init(authorized: AuthorizedClients, admission: AdmissionControl, deadline: TimeAmount, logger: Logger) {
        self.authorized = authorized
        self.admission = admission
        self.deadline = deadline
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let logger = logger
        deadlineTask = context.eventLoop.scheduleTask(in: deadline) {
            logger.notice("no authentication within the deadline; closing")
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) { deadlineTask?.cancel() }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { decide(context) }
        context.fireUserInboundEventTriggered(event)
    }

    /// Before the decision no data can arrive (the handshake comes first); after a refusal the
    /// client's frames are dropped unread.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !refused { context.close(promise: nil) }
    }

    private func decide(_ context: ChannelHandlerContext) {
        deadlineTask?.cancel()
        let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
        guard let fingerprint = certificate.flatMap(TrustStore.fingerprint(of:)), authorized.admits(fingerprint) else {
            let key = certificate.flatMap(TrustStore.fingerprint(of:)).map { "\($0)" } ?? "none"
            logger.notice("refused client with key \(key): not in authorized-clients")
            refuse(context, "not authorized: this client's key (\(key)) is not in the agent's authorized-clients")
            return
        }
        logger.info("client \(fingerprint) authenticated")
        admission.authenticated(context.channel)
        context.pipeline.syncOperations.removeHandler(self, promise: nil)
    }

    /// Sends the reason, then hangs up after a short linger (see Channel+Linger).
    private func refuse(_ context: ChannelHandlerContext, _ reason: String) {
        refused = true
        var buffer = context.channel.allocator.buffer(capacity: reason.utf8.count + Frame.headerBytes)
        buffer.writeFrame(AgentMessage.failure(reason).frame)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        context.channel.closeAfterLinger(.seconds(2))
    }
}
