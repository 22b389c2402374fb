// One command's life on the agent, independent of the connection that started it: its process
// group, its pipes (CommandSession+Pipes), its output numbered by byte offset, and how it
// ended. A connection attaches to it; a kept session (the `keep` option) survives its
// connection for a grace period, keeps its recent output in a ReplayBuffer, and a new
// connection can resume it from an offset.
//
// Everything here runs on `loop` (the pipe channels share it); connections on other loops call
// in through `run`. Invariants: `EXT` goes out only after stdout and stderr reached EOF (or a
// grace period after the command exited, when a background child holds them), so no output
// is lost; a session that is not kept ends its process group when its connection goes.

import CDistRunSystem
import DistRunTransport
import DistRunWire
import Logging
import NIOCore

final class CommandSession: @unchecked Sendable {
    struct Settings: Sendable {
        var limits = FrameLimits()
        /// After a client leaves: time between SIGHUP/SIGTERM and SIGKILL.
        var killGrace = TimeAmount.seconds(2)
        /// After `EXT`: how long to wait for the client to close before we do.
        var finishLinger = TimeAmount.seconds(2)
        /// After the command exits: how long to wait for pipes a background child still holds.
        var outputDrainGrace = TimeAmount.seconds(1)
        /// Ends the command's process group after this long.
        var maxJobDuration: TimeAmount?
        /// Runs commands as this uid and gid (the agent runs as root).
        var runAs: (uid: UInt32, gid: UInt32)?
        /// A kept session outlives its connection this long (and no longer, whatever the client asks).
        var keepGrace = TimeAmount.minutes(10)
        /// Output a kept session holds for replay.
        var replayBytes = 8 << 20
    }

    let loop: EventLoop
    let options: SessionOptions
    /// The id a client resumes with; nil when the session is not kept.
    let id: SessionID?
    /// The fingerprint of the client that started it: only that client may resume it.
    let owner: String?
    let settings: Settings
    let logger: Logger
    let registry: SessionRegistry
    private let keepGrace: TimeAmount?
    private var replay: ReplayBuffer
    /// The attached connection; nil while a kept session waits for its client to come back.
    private var client: Channel?
    private var graceTimer: Scheduled<Void>?
    private(set) var isEnded = false
    /// `EXT` went to the attached connection (a resuming one gets it again).
    private var exitSentToClient = false

    var pid: pid_t?
    var stdinChannel: Channel?
    /// Completes when everything written to stdin so far has reached the pipe.
    var stdinDrained: EventLoopFuture<Void>?
    var pendingInput: [ByteBuffer] = []
    var stdinClosePending = false
    /// The pseudo-terminal's master, while the command runs on one.
    var terminal: CInt?
    var outputChannels: [Channel] = []
    var openOutputs = 0
    var exitStatus: TerminationStatus?
    var drainTimer: Scheduled<Void>?
    /// Output pipes whose channel is still being set up: their data is waiting, unread.
    var attachingOutputs = 0
    /// The read ends of the command's output (pipes or terminal), to see if data still waits.
    var outputDescriptors: [CInt] = []
    /// Output pipes found full once (`.output`, `.errorOutput`), and the enlarged size they hold
    /// in the agent's pipe budget.
    var filledPipes: Set<Token> = []
    var enlargedPipeBytes = 0

    init(
        options: SessionOptions, owner: String?, client: Channel, settings: Settings, registry: SessionRegistry,
        logger: Logger
    ) {
        self.loop = client.eventLoop
        self.options = options
        self.owner = owner
        self.client = client
        self.settings = settings
        self.registry = registry
        let asked = options.keepSeconds.map { TimeAmount.seconds(Int64($0)) } ?? settings.keepGrace
        self.keepGrace = options.keep ? min(asked, settings.keepGrace) : nil
        self.id = options.keep ? SessionID.random() : nil
        self.replay = ReplayBuffer(capacity: options.keep ? settings.replayBytes : 0)
        var logger = logger
        if let id { logger[metadataKey: "session"] = "\(id)" }
        self.logger = logger
    }

    /// Runs `body` on the session's loop: at once from there, else in order after what is queued.
    func run(_ body: @escaping @Sendable (CommandSession) -> Void) {
        if loop.inEventLoop { body(self) } else { loop.execute { body(self) } }
    }

    /// The client that may read output now: none while detached (output then only fills the
    /// replay buffer), and reading the pipes waits for a client that is not keeping up.
    var clientKeepsUp: Bool { client?.isWritable ?? true }

    // MARK: Connections

    /// A kept session's first frame, before any output.
    func announce() {
        guard let id, let client else { return }
        client.writeAndFlush(AgentMessage.sessionID(id).frame, promise: nil)
    }

    /// A resuming connection takes over: `SID`, then `GAP` if output was lost, the replay from
    /// `offset`, and live output (or the exit status, if the command ended meanwhile).
    func attach(_ channel: Channel, from offset: UInt64) throws(ReplayBuffer.ResumeError) {
        loop.assertInEventLoop()
        let (lost, frames) = try replay.replay(from: offset)
        if let previous = client {
            logger.notice("session taken over by a new connection")
            previous.writeAndFlush(AgentMessage.failure("session taken over by a newer connection").frame)
                .whenComplete { _ in previous.close(promise: nil) }
        }
        graceTimer?.cancel()
        client = channel
        exitSentToClient = false
        logger.info("resumed at offset \(offset); \(lost) bytes lost, \(replay.endOffset - offset - lost) replayed")
        channel.write(AgentMessage.sessionID(id!).frame, promise: nil)
        if lost > 0 { channel.write(AgentMessage.outputGap(lost).frame, promise: nil) }
        for frame in frames { channel.write(frame, promise: nil) }
        channel.flush()
        clientWritabilityChanged()
        finishIfDone()
    }

    /// The connection went away without ending the session (a dropped link, a silent client).
    func detach(_ channel: Channel) {
        guard channel === client, !isEnded else { return }
        client = nil
        guard let keepGrace else { return end("client left") }
        logger.info("client left; keeping the session for \(keepGrace.secondsText) s")
        clientWritabilityChanged()
        graceTimer = loop.scheduleTask(in: keepGrace) { [self] in end("nobody resumed it within its grace period") }
    }

    /// Ends the session now: the command's process group, if still running, is hung up.
    func end(_ reason: String) {
        guard !isEnded else { return }
        isEnded = true
        graceTimer?.cancel()
        drainTimer?.cancel()
        if let id { registry.remove(id) }
        holdReplayBytes(-replay.shed(replay.heldBytes))
        releaseEnlargedPipes()
        if let pid, exitStatus == nil {
            logger.info("\(reason); ending process group \(pid)")
            ProcessGroup.terminate(pid, grace: settings.killGrace, on: loop)
        }
        stdinChannel?.close(promise: nil)
        outputChannels.forEach { $0.close(promise: nil) }
        client = nil
    }

    /// Backpressure: read the command's output only while the client keeps up.
    func clientWritabilityChanged() {
        let keepsUp = clientKeepsUp
        for channel in outputChannels { channel.setOption(.autoRead, value: keepsUp).whenComplete { _ in } }
        if keepsUp { outputChannels.forEach { $0.read() } }
        armDrainTimer()
    }

    /// Stdin backpressure: stop reading the client while the command's stdin is full.
    func stdinWritabilityChanged(_ writable: Bool) {
        client?.setOption(.autoRead, value: writable).whenComplete { _ in }
    }

    // MARK: Output

    func commandProduced(_ token: Token, _ bytes: ByteBuffer) {
        guard !isEnded else { return }
        var bytes = bytes
        let token = options.separateStderr ? token : .output
        while let chunk = bytes.readSlice(length: min(bytes.readableBytes, settings.limits.maxDataPayloadBytes)),
            chunk.readableBytes > 0
        {
            let held = replay.heldBytes
            replay.append(token, chunk)
            holdReplayBytes(replay.heldBytes - held)
            client?.write(Frame(token, chunk), promise: nil)
        }
        if exitStatus != nil { armDrainTimer() }  // still draining: the grace counts from here
    }

    /// Accounts for output held for replay against the agent's budget, shedding our own oldest
    /// output when the budget is exceeded.
    private func holdReplayBytes(_ delta: Int) {
        guard delta != 0 else { return }
        let excess = registry.budget.change(by: delta)
        if excess > 0 { _ = registry.budget.change(by: -replay.shed(excess)) }
    }

    func flushOutput() { client?.flush() }

    func outputClosed() {
        openOutputs -= 1
        if openOutputs <= 0 { releaseEnlargedPipes() }
        finishIfDone()
    }

    func commandExited(_ status: TerminationStatus) {
        logger.info("pid \(pid ?? 0) ended: \(status)")
        exitStatus = status
        guard !isEnded else { return }
        finishIfDone()
        armDrainTimer()
    }

    /// After the command exited, output pipes still open after a quiet grace period are held by
    /// a background process. The grace only runs while output can flow: while a pipe's channel
    /// is being set up or the client is not keeping up, unread output is still coming.
    func armDrainTimer() {
        drainTimer?.cancel()
        drainTimer = nil
        guard exitStatus != nil, !isEnded, openOutputs > 0, attachingOutputs == 0, clientKeepsUp else { return }
        drainTimer = loop.scheduleTask(in: settings.outputDrainGrace) { [self] in outputDrainTimedOut() }
    }

    /// A background child still holds the pipes: report the status now, and end the group. But
    /// a busy event loop may simply not have read what waits in the pipes yet: then wait on.
    private func outputDrainTimedOut() {
        if outputDescriptors.contains(where: { drs_readable_bytes($0) > 0 }) { return armDrainTimer() }
        if let pid { ProcessGroup.terminate(pid, grace: settings.killGrace, on: loop) }
        openOutputs = 0
        outputChannels.forEach { $0.close(promise: nil) }
        finishIfDone()
    }

    /// The exit status goes to the attached client after all output, then the session is over.
    /// A kept session is over only when its client says it got `EXT` (`BYE`): until then, or
    /// until the grace period ends, a link dropped after `EXT` left can still be resumed, and a
    /// detached kept session holds the exit status for its client.
    private func finishIfDone() {
        guard !isEnded, let exitStatus, openOutputs <= 0, let client, !exitSentToClient else { return }
        exitSentToClient = true
        if options.protocolVersion >= 1 { client.write(AgentMessage.exitStatus(exitStatus).frame, promise: nil) }
        client.flush()
        // A kept session's client answers with BYE (until then, or until its keepalive fails, we
        // wait with our side shut); any other hangs up after a linger (see Channel+Linger).
        guard id == nil else { return client.close(mode: .output, promise: nil) }
        client.closeAfterLinger(settings.finishLinger)
        end("finished")
    }
}
