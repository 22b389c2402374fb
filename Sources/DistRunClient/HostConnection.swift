// One host's job: connects, sends the job, turns the agent's frames into events, and carries
// input and cancellation from the front end. With a reconnect policy the session is kept
// (`keep`): when the link drops, the host goes "lost, retrying in N s" and new connections
// (HostConnection+Connect) resume the session from the last byte received, so output is
// neither lost unnoticed nor repeated.
//
// All of its state lives on its own event loop: every method runs there (the manager hops
// before calling), which is why it may be shared across threads although it has mutable state.

import DistRunTransport
import DistRunTrust
import DistRunWire
import NIOCore
import NIOPosix
import NIOSSL

final class HostConnection: @unchecked Sendable {
    let id: HostID
    let endpoint: HostEndpoint
    let loop: EventLoop
    let job: JobSpec
    let security: ClientSecurity
    let reading: SocketReading
    private let events: HostEventQueue
    /// Why the agent's certificate was refused, for the message (the TLS error says less).
    var trustFailure: String?
    /// The open connection (nil while connecting or waiting to reconnect).
    var channel: Channel?
    /// Counts connection attempts; events from an older attempt's channel are ignored.
    var generation = 0
    /// The current attempt has connected but the agent has not answered yet.
    var awaitingAnswer = false
    private(set) var state = HostState.connecting
    private var pendingInput: [ByteBuffer] = []
    private var inputClosed = false
    /// `EOF` reached a connection (a resumed session must not get a second one: on a terminal
    /// it would be another ^D).
    private var endOfInputSent = false
    private var commandTimer: Scheduled<Void>?
    private var retired = false
    private var lastHeardFrom = NIODeadline.now()
    /// We stopped reading (the front end is behind): the agent's silence then proves nothing.
    private var readingPaused = false
    /// Agents from version 3 on send keepalives, so their silence means something.
    private var agentVersion = 0
    /// An agent that sends nothing, not even its keepalive, for this long is gone.
    static let agentSilenceLimit = TimeAmount.seconds(KeepaliveTiming.agentSilenceLimitSeconds)
    /// A size set before the connection was up: the `pty` option or a `WIN` after a resume carries it.
    private var pendingSize: WindowSize?
    /// The kept session, once the agent named it.
    private var sessionID: SessionID?
    /// Output bytes received so far (`OUT` and `ERR` payloads, and gaps): where a resume starts.
    private var receivedBytes: UInt64 = 0
    /// The job's options wait for `VER` (to learn whether the agent keeps sessions).
    private var jobSent = false
    private var reconnectAttempt = 0
    private var lostSince: NIODeadline?
    /// A resume was sent and the agent has not confirmed it with `SID` yet.
    private var resuming = false

    init(
        id: HostID, endpoint: HostEndpoint, job: JobSpec, security: ClientSecurity, reading: SocketReading,
        loop: EventLoop, events: HostEventQueue
    ) {
        self.id = id
        self.endpoint = endpoint
        self.job = job
        self.security = security
        self.reading = reading
        self.loop = loop
        self.events = events
    }

    func start() {
        loop.assertInEventLoop()
        publish(.connecting)
        loop.scheduleRepeatedTask(initialDelay: Self.agentSilenceLimit, delay: .seconds(5)) { [self] task in
            guard !state.isFinal else { return task.cancel() }
            if state == .running, agentVersion >= 3, !readingPaused,
                NIODeadline.now() - lastHeardFrom > Self.agentSilenceLimit
            {
                connectionLost(HostFailure(.lost, "the agent sent nothing, not even its keepalive, for 50 s"))
            }
        }
        if let timeout = job.commandTimeout {
            commandTimer = loop.scheduleTask(in: timeout) { [self] in
                end(HostFailure(.timedOut, "timed out after \(timeout.secondsText) s"))
            }
        }
        connect()
    }

    // MARK: From the channel

    /// The first frames: a kept job asks for the version first and waits for `VER`; a resume
    /// names the session and the offset; input and a size set meanwhile follow.
    func channelActive(_ channel: Channel) {
        guard !state.isFinal, !retired else { return channel.close(promise: nil) }
        self.channel = channel
        if let sessionID {
            let resume = SessionResume(id: sessionID, offset: receivedBytes)
            resuming = true
            send([.option(.version(ProtocolVersion.current)), .option(.resume(resume))] + pendingFrames())
        } else if job.reconnect != nil {
            send([.option(.version(ProtocolVersion.current))])
        } else {
            sendJob()
        }
    }

    private func sendJob() {
        jobSent = true
        var frames = [ClientMessage]()
        if agentVersion == 0 { frames.append(.option(.version(ProtocolVersion.current))) }
        if let reconnect = job.reconnect, agentVersion >= 4 {
            frames.append(.option(.keep(seconds: reconnect.keepSeconds)))
        }
        if job.connectStdin { frames.append(.option(.stdin)) }
        if job.separateStderr { frames.append(.option(.stderr)) }
        if let size = pendingSize ?? job.terminalSize {
            frames += [.option(.pty(size)), .option(.term(job.terminalType))]
            pendingSize = nil
        }
        frames.append(.command(job.argv))
        send(frames + pendingFrames())
    }

    /// Input, end of input and a resize that waited for the connection.
    private func pendingFrames() -> [ClientMessage] {
        var frames = pendingInput.map { ClientMessage.input($0) }
        if inputClosed && !endOfInputSent { frames.append(.endOfInput) }
        endOfInputSent = inputClosed
        if let pendingSize { frames.append(.windowSize(pendingSize)) }
        pendingInput = []
        pendingSize = nil
        return frames
    }

    private func send(_ messages: [ClientMessage]) {
        guard let channel else { return }
        for message in messages { channel.write(message.frame, promise: nil) }
        channel.flush()
    }

    func received(_ message: AgentMessage) {
        lastHeardFrom = .now()
        awaitingAnswer = false
        switch message {
        case .version(let version):
            agentVersion = version
            if !jobSent && sessionID == nil { sendJob() }
            // A kept session is running once the agent named it (`SID`): only then can a
            // dropped link be resumed.
            if sessionID == nil && (job.reconnect == nil || version < 4) { publish(.running) }
        case .sessionID(let id):
            sessionID = id
            resuming = false
            reconnectAttempt = 0
            lostSince = nil
            publish(.running)
        case .outputGap(let bytes):
            receivedBytes += bytes
            events.push(.outputLost(id, bytes: bytes))
        case .output(let bytes): deliver(.stdout, bytes)
        case .errorOutput(let bytes): deliver(.stderr, bytes)
        case .exitStatus(let status): finish(.exited(status))
        case .failure(let reason): end(HostFailure(resuming ? .lost : .rejected, reason))
        case .ping: channel?.writeAndFlush(ClientMessage.pong.frame, promise: nil)
        }
    }

    func channelClosed() {
        connectionLost(HostFailure(.lost, "connection closed before the exit status arrived"))
    }

    func channelFailed(_ error: Error) {
        connectionLost(ConnectErrorDescription.failure(for: error, trustFailure: trustFailure))
    }

    /// The current connection is gone: a kept session is retried after a backoff, anything
    /// else ends the host with `failure`.
    func connectionLost(_ failure: HostFailure) {
        guard !state.isFinal, !retired else { return }
        dropChannel()
        guard let policy = job.reconnect, sessionID != nil, failure.kind != .rejected else { return end(failure) }
        let now = NIODeadline.now()
        reconnectAttempt += 1
        lostSince = lostSince ?? now
        guard policy.allows(attempt: reconnectAttempt, elapsed: now - lostSince!) else {
            let tries = reconnectAttempt - 1
            let attempts = "\(tries) reconnect attempt\(tries == 1 ? "" : "s")"
            return end(HostFailure(.lost, "connection lost; \(attempts) failed, the last: \(failure.reason)"))
        }
        let delay = policy.delay(beforeAttempt: reconnectAttempt, random: Double.random(in: 0..<1))
        publish(.reconnecting(HostReconnect(reason: failure.reason, attempt: reconnectAttempt, delay: delay)))
        loop.scheduleTask(in: delay) { [self] in
            guard !state.isFinal, !retired else { return }
            connect()
        }
    }

    /// Forgets the current channel (its late events are ignored) and closes it.
    private func dropChannel() {
        generation += 1
        awaitingAnswer = false
        readingPaused = false
        channel?.close(promise: nil)
        channel = nil
    }

    // MARK: From the front end

    /// The connection, once frames for the command may go on it (after `CMD` or a resume);
    /// until then input and sizes wait in `pendingFrames`.
    private var channelToCommand: Channel? { jobSent || sessionID != nil ? channel : nil }

    func send(_ bytes: ByteBuffer) {
        guard job.connectStdin || job.terminalSize != nil, !inputClosed, !state.isFinal else { return }
        if let channel = channelToCommand {
            channel.writeAndFlush(ClientMessage.input(bytes).frame, promise: nil)
        } else {
            pendingInput.append(bytes)
        }
    }

    /// Tells the agent the pane's new size (pseudo-terminal jobs only).
    func resize(_ size: WindowSize) {
        guard job.terminalSize != nil, !state.isFinal else { return }
        guard let channel = channelToCommand else { return pendingSize = size }
        channel.writeAndFlush(ClientMessage.windowSize(size).frame, promise: nil)
    }

    func signal(_ signal: CommandSignal) {
        guard !state.isFinal else { return }
        channel?.writeAndFlush(ClientMessage.signal(signal).frame, promise: nil)
    }

    func closeInput() {
        guard job.connectStdin || job.terminalSize != nil, !inputClosed, !state.isFinal else { return }
        inputClosed = true
        guard let channel = channelToCommand else { return }
        endOfInputSent = true
        channel.writeAndFlush(ClientMessage.endOfInput.frame, promise: nil)
    }

    func cancel(_ reason: String) { end(HostFailure(.cancelled, reason)) }

    /// Replaced by a new run: end the session quietly, publishing nothing more.
    func retire() {
        retired = true
        commandTimer?.cancel()
        closeEndingSession()
    }

    // MARK: State

    private func deliver(_ stream: StreamKind, _ bytes: ByteBuffer) {
        guard !retired else { return }
        receivedBytes += UInt64(bytes.readableBytes)
        if state == .connecting { publish(.running) }  // a version-0 agent sends no VER
        guard bytes.readableBytes > 0 else { return }  // a piece with only its frame's header
        guard events.push(.output(id, stream, bytes)), let channel else { return }
        channel.setOption(.autoRead, value: false).whenComplete { _ in }
        readingPaused = true
        let attempt = generation
        events.resumeWhenDrained(host: id) { [self] in
            loop.execute { [self] in
                guard generation == attempt else { return }
                readingPaused = false
                lastHeardFrom = .now()
            }
            channel.setOption(.autoRead, value: true).whenComplete { _ in }
        }
    }

    func end(_ failure: HostFailure) { finish(.failed(failure)) }

    private func finish(_ final: HostState) {
        guard !state.isFinal else { return }
        commandTimer?.cancel()
        if case .exited = final, sessionID == nil {
            dropChannel()
            return publish(final)
        }
        // A kept session ends with `BYE`: after `EXT` it says we got everything (the agent keeps
        // the session until then, in case `EXT` was lost with the link); otherwise it ends the
        // command. The final state is reported once `BYE` is out, so a front end that exits on
        // it does not take the `BYE` with it.
        state = final
        closeEndingSession().whenComplete { [self] _ in publish(final) }
    }

    /// Closes the connection; a kept session is ended first with `BYE` (closing alone would
    /// leave its command running for the grace period).
    @discardableResult
    private func closeEndingSession() -> EventLoopFuture<Void> {
        guard let channel else { return loop.makeSucceededVoidFuture() }
        generation += 1
        self.channel = nil
        guard sessionID != nil, !resuming else { return channel.close() }
        let sent = channel.writeAndFlush(ClientMessage.endSession.frame)
        sent.whenComplete { _ in channel.close(promise: nil) }
        return sent
    }

    private func publish(_ newState: HostState) {
        guard !retired else { return }
        state = newState
        events.push(.stateChanged(id, newState))
    }
}
