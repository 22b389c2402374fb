// One client connection on the agent: runs the protocol machine, starts the command, pumps its
// pipes to frames and back, and reports how it ended. Everything here runs on the connection's
// event loop (the command's pipe channels share it), so no locks are needed.
//
// Invariants: `EXT` goes out only after stdout and stderr reached EOF (or a grace period after
// the command exited, when a background child holds them), so no output is lost; a client that
// goes away takes its command's whole process group with it.

import CDistRunSystem
import DistRunTransport
import DistRunWire
import Logging
import NIOCore
import NIOPosix

final class AgentSession: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    struct Settings: Sendable {
        var limits = FrameLimits()
        /// After a client leaves: time between SIGHUP/SIGTERM and SIGKILL.
        var killGrace = TimeAmount.seconds(2)
        /// After the command exits: how long to wait for pipes a background child still holds.
        var outputDrainGrace = TimeAmount.seconds(1)
        /// After a `BAD` frame: how long to wait for the client to close before we do.
        var failureLinger = TimeAmount.seconds(2)
        /// Ends the command's process group after this long.
        var maxJobDuration: TimeAmount?
        /// Runs commands as this uid and gid (the agent runs as root).
        var runAs: (uid: UInt32, gid: UInt32)?
        /// Version-3 clients get a `PNG` this often and are dropped after three silent intervals.
        var keepaliveInterval = TimeAmount.seconds(15)
    }

    private let settings: Settings
    private let logger: Logger
    private var machine = AgentSessionMachine()
    private var context: ChannelHandlerContext!
    private var pid: pid_t?
    private var stdinChannel: Channel?
    /// Completes when everything written to stdin so far has reached the pipe.
    private var stdinDrained: EventLoopFuture<Void>?
    private var pendingInput: [ByteBuffer] = []
    private var stdinClosePending = false
    /// The pseudo-terminal's master, while the command runs on one.
    private var terminal: CInt?
    private var outputChannels: [Channel] = []
    private var openOutputs = 0
    private var exitStatus: TerminationStatus?
    private var drainTimer: Scheduled<Void>?
    /// Output pipes whose channel is still being set up: their data is waiting, unread.
    private var attachingOutputs = 0
    /// The read ends of the command's output (pipes or terminal), to see if data still waits.
    private var outputDescriptors: [CInt] = []
    private var closing = false
    private var keepalive: RepeatedTask?
    private var lastHeardFrom = NIODeadline.now()

    init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        lastHeardFrom = .now()
        let frame = unwrapInboundIn(data)
        do {
            perform(machine.received(try ClientMessage(frame)))
        } catch let error as ProtocolError {
            fail(error.description)
        } catch {
            fail("\(error)")
        }
    }

    private func perform(_ action: AgentSessionMachine.Action) {
        switch action {
        case .none: break
        case .sendVersion(let version):
            context.writeAndFlush(wrapOutboundOut(AgentMessage.version(version).frame), promise: nil)
            if version >= 3 { startKeepalive() }
        case .startCommand(let argv, let options): start(argv, options)
        case .writeInput(let bytes): writeInput(bytes)
        case .closeInput: closeInput()
        case .resize(let size): resizeTerminal(size)
        case .signal(let signal): signalCommand(signal)
        case .reject(let error): fail(error.description)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // While lingering after a failure, the decoder reports the client's further bytes: drop them.
        guard !closing else { return }
        if let error = error as? ProtocolError {
            fail(error.description)
        } else {
            logger.debug("connection error: \(error)")
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client closing its side ends the session (EOF frames close stdin only).
        if case .some(.inputClosed) = event as? ChannelEvent { context.close(promise: nil) }
    }

    /// A client that answers nothing for three intervals is gone (hung, or its host froze
    /// behind a connection TCP still thinks is open): end the session like a disconnect.
    private func startKeepalive() {
        let interval = settings.keepaliveInterval
        let session = NIOLoopBound(self, eventLoop: context.eventLoop)
        keepalive = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let session = session.value
            guard !session.closing else { return }
            if NIODeadline.now() - session.lastHeardFrom > interval * 3 {
                session.logger.notice("client silent for three keepalive intervals; closing")
                session.context.close(promise: nil)
            } else {
                session.context.writeAndFlush(session.wrapOutboundOut(AgentMessage.ping.frame), promise: nil)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        keepalive?.cancel()
        closing = true
        drainTimer?.cancel()
        if let pid, exitStatus == nil {
            logger.info("client left; ending process group \(pid)")
            ProcessGroup.terminate(pid, grace: settings.killGrace, on: context.eventLoop)
        }
        stdinChannel?.close(promise: nil)
        outputChannels.forEach { $0.close(promise: nil) }
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // Backpressure: read the command's output only while the client keeps up.
        let writable = context.channel.isWritable
        for channel in outputChannels { channel.setOption(.autoRead, value: writable).whenComplete { _ in } }
        if writable { outputChannels.forEach { $0.read() } }
        armDrainTimer()
    }

    // MARK: The command

    private func start(_ argv: [String], _ options: SessionOptions) {
        let command: SpawnedCommand
        let argv = settings.runAs.map { SpawnedCommand.droppingPrivileges(argv, uid: $0.uid, gid: $0.gid) } ?? argv
        do {
            if let size = options.pty {
                command = try SpawnedCommand.spawnOnTerminal(argv, size: size, terminalType: options.terminalType)
            } else {
                command = try SpawnedCommand.spawn(
                    argv, connectStdin: options.connectStdin, separateStderr: options.separateStderr)
            }
        } catch {
            fail("\(error)", isProtocolViolation: false)
            return
        }
        pid = command.pid
        logger.info("started \(argv) as pid \(command.pid)")
        if let limit = settings.maxJobDuration {
            let (pid, grace, loop) = (command.pid, settings.killGrace, context.eventLoop)
            let session = NIOLoopBound(self, eventLoop: loop)
            loop.scheduleTask(in: limit) {
                guard session.value.exitStatus == nil else { return }
                session.value.logger.notice("pid \(pid) reached the job time limit; ending its process group")
                ProcessGroup.terminate(pid, grace: grace, on: loop)
            }
        }
        let loop = context.eventLoop
        let session = NIOLoopBound(self, eventLoop: loop)
        ChildReaper.shared.watch(pid: command.pid) { status in
            loop.execute { session.value.commandExited(status) }
        }
        outputDescriptors = [command.terminal ?? command.stdoutReader] + [command.stderrReader].compactMap { $0 }
        if let master = command.terminal {
            terminal = master
            attachTerminal(master, session: session)
            return
        }
        attachOutput(command.stdoutReader, as: .output, session: session)
        if let stderr = command.stderrReader { attachOutput(stderr, as: .errorOutput, session: session) }
        if let stdin = command.stdinWriter { attachInput(stdin, session: session) }
    }

    /// One channel reads and writes the terminal; reading ends with EIO once the command and
    /// everything else on the terminal have closed it (the handler takes that as end of output).
    private func attachTerminal(_ master: CInt, session: NIOLoopBound<AgentSession>) {
        attach(master, as: .output, alsoInput: true, session: session) {
            $0.takingOwnershipOfDescriptor(inputOutput: master)
        }
    }

    /// Starts reading one output descriptor through a pipe channel on this session's loop.
    private func attach(
        _ fd: CInt, as token: Token, alsoInput: Bool, session: NIOLoopBound<AgentSession>,
        _ open: (NIOPipeBootstrap) -> EventLoopFuture<Channel>
    ) {
        openOutputs += 1
        attachingOutputs += 1
        let bootstrap = NIOPipeBootstrap(group: context.eventLoop)
            .channelOption(.autoRead, value: context.channel.isWritable)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(OutputPipeHandler(token: token, session: session))
                }
            }
        open(bootstrap).hop(to: context.eventLoop).whenComplete { result in
            let session = session.value
            switch result {
            case .success(let channel):
                session.outputAttached(channel)
                if alsoInput { session.inputAttached(channel) }
            case .failure(let error):
                close(fd)
                session.logger.error("cannot read the command's output: \(error)")
                session.attachingOutputs -= 1
                session.outputClosed()
            }
        }
    }

    private func resizeTerminal(_ size: WindowSize) {
        guard let terminal, !closing else { return }
        drs_set_window_size(terminal, UInt16(size.columns), UInt16(size.rows))
    }

    private func signalCommand(_ signal: CommandSignal) {
        guard let pid, exitStatus == nil else { return }
        kill(-pid, signal.number)
    }

    private func attachOutput(_ fd: CInt, as token: Token, session: NIOLoopBound<AgentSession>) {
        attach(fd, as: token, alsoInput: false, session: session) { $0.takingOwnershipOfDescriptor(input: fd) }
    }

    private func attachInput(_ fd: CInt, session: NIOLoopBound<AgentSession>) {
        NIOPipeBootstrap(group: context.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(InputPipeHandler(session: session))
                }
            }
            .takingOwnershipOfDescriptor(output: fd)
            .hop(to: context.eventLoop)
            .whenComplete { result in
                switch result {
                case .success(let channel): session.value.inputAttached(channel)
                case .failure(let error):
                    close(fd)
                    session.value.logger.error("cannot write command input: \(error)")
                }
            }
    }

    private func outputAttached(_ channel: Channel) {
        attachingOutputs -= 1
        if closing { channel.close(promise: nil) } else { outputChannels.append(channel) }
        armDrainTimer()
    }

    private func inputAttached(_ channel: Channel) {
        stdinChannel = channel
        pendingInput.forEach(writeInput)
        pendingInput = []
        if stdinClosePending || closing { closeInput() }
    }

    private func writeInput(_ bytes: ByteBuffer) {
        guard let stdinChannel else { return pendingInput.append(bytes) }
        // An error from a command that closed its stdin is ignored, as a pipe writer ignores EPIPE.
        stdinDrained = stdinChannel.writeAndFlush(bytes)
    }

    /// Closes stdin once the input written so far has reached the pipe (closing a channel
    /// drops writes it still holds).
    private func closeInput() {
        guard let stdinChannel else { return stdinClosePending = true }
        // A terminal has no end of input of its own: the line discipline turns ^D into one.
        if terminal != nil { return writeInput(ByteBuffer(bytes: [0x04])) }
        guard let stdinDrained else { return stdinChannel.close(promise: nil) }
        stdinDrained.whenComplete { _ in stdinChannel.close(promise: nil) }
    }

    /// Stdin backpressure: stop reading the client while the command's stdin pipe is full.
    func stdinWritabilityChanged(_ writable: Bool) {
        context.channel.setOption(.autoRead, value: writable).whenComplete { _ in }
    }

    func commandProduced(_ token: Token, _ bytes: ByteBuffer) {
        guard !closing else { return }
        var bytes = bytes
        let token = machine.options.separateStderr ? token : .output
        while let chunk = bytes.readSlice(length: min(bytes.readableBytes, settings.limits.maxDataPayloadBytes)),
            chunk.readableBytes > 0
        {
            context.write(wrapOutboundOut(Frame(token, chunk)), promise: nil)
        }
        if exitStatus != nil { armDrainTimer() }  // still draining: the grace counts from here
    }

    func flushOutput() { context.flush() }

    func outputClosed() {
        openOutputs -= 1
        finishIfDone()
    }

    private func commandExited(_ status: TerminationStatus) {
        logger.info("pid \(pid ?? 0) ended: \(status)")
        exitStatus = status
        guard !closing else { return }
        finishIfDone()
        armDrainTimer()
    }

    /// After the command exited, output pipes still open after a quiet grace period are held by
    /// a background process. The grace only runs while output can flow: while a pipe's channel
    /// is being set up or the client is not keeping up, unread output is still coming.
    private func armDrainTimer() {
        drainTimer?.cancel()
        drainTimer = nil
        guard exitStatus != nil, !closing, openOutputs > 0, attachingOutputs == 0, context.channel.isWritable
        else { return }
        let session = NIOLoopBound(self, eventLoop: context.eventLoop)
        drainTimer = context.eventLoop.scheduleTask(in: settings.outputDrainGrace) {
            session.value.outputDrainTimedOut()
        }
    }

    /// A background child still holds the pipes: report the status now, and end the group. But
    /// a busy event loop may simply not have read what waits in the pipes yet: then wait on.
    private func outputDrainTimedOut() {
        if outputDescriptors.contains(where: { drs_readable_bytes($0) > 0 }) { return armDrainTimer() }
        if let pid { ProcessGroup.terminate(pid, grace: settings.killGrace, on: context.eventLoop) }
        finish()
    }

    private func finishIfDone() {
        if exitStatus != nil && openOutputs == 0 { finish() }
    }

    private func finish() {
        guard !closing, let exitStatus else { return }
        closing = true
        drainTimer?.cancel()
        if machine.options.protocolVersion >= 1 {
            context.write(wrapOutboundOut(AgentMessage.exitStatus(exitStatus).frame), promise: nil)
        }
        context.flush()
        closeAfterLingering(context)
    }

    /// Tells the client why, then closes. Protocol violations always get `BAD`; other failures
    /// reach the original design's clients (version 0) as text in `OUT`, which they can show.
    private func fail(_ reason: String, isProtocolViolation: Bool = true) {
        guard !closing else { return }
        closing = true
        logger.notice("ending session: \(reason)")
        let text = reason.prefixFitting(bytes: settings.limits.maxPayloadBytes(for: .failure))
        let message: Frame =
            isProtocolViolation || machine.options.protocolVersion >= 1
            ? AgentMessage.failure(text).frame : Frame(.output, text: "distrund: \(text)\n")
        context.writeAndFlush(wrapOutboundOut(message), promise: nil)
        closeAfterLingering(context)
    }

    /// Sends FIN once every queued frame is out (a full close would drop what a slow client has
    /// not taken yet: the end of its output, and `EXT` or `BAD`), then keeps reading (and
    /// dropping) what the client still sends, so our close does not turn into a reset that would
    /// destroy the last frames before the client reads them. The client normally hangs up first.
    private func closeAfterLingering(_ context: ChannelHandlerContext) {
        let (channel, linger) = (context.channel, settings.failureLinger)
        let sent = context.eventLoop.makePromise(of: Void.self)
        context.close(mode: .output, promise: sent)
        sent.futureResult.whenComplete { _ in
            channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
        }
    }
}
