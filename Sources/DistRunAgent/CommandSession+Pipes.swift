// Starting a session's command and wiring its pipes (or terminal) to channels on the session's
// loop: output is read only while the client keeps up, input waits until its pipe is attached.

import CDistRunSystem
import DistRunTransport
import DistRunWire
import NIOCore
import NIOPosix

extension CommandSession {
    /// Spawns `argv`; output starts flowing to the attached client.
    func start(_ argv: [String]) throws {
        loop.assertInEventLoop()
        let argv = settings.runAs.map { SpawnedCommand.droppingPrivileges(argv, uid: $0.uid, gid: $0.gid) } ?? argv
        let command: SpawnedCommand
        if let size = options.pty {
            command = try SpawnedCommand.spawnOnTerminal(argv, size: size, terminalType: options.terminalType)
        } else {
            command = try SpawnedCommand.spawn(
                argv, connectStdin: options.connectStdin, separateStderr: options.separateStderr)
        }
        pid = command.pid
        logger.info("started \(argv) as pid \(command.pid)")
        if let limit = settings.maxJobDuration { endAfter(limit, pid: command.pid) }
        ChildReaper.shared.watch(pid: command.pid) { [self] status in
            loop.execute { self.commandExited(status) }
        }
        outputDescriptors = [command.terminal ?? command.stdoutReader] + [command.stderrReader].compactMap { $0 }
        if let master = command.terminal {
            // One channel reads and writes the terminal; reading ends with EIO once the command
            // and everything else on it have closed it (the handler takes that as end of output).
            terminal = master
            return attach(master, as: .output, alsoInput: true) { $0.takingOwnershipOfDescriptor(inputOutput: master) }
        }
        let stdout = command.stdoutReader
        attach(stdout, as: .output, alsoInput: false) { $0.takingOwnershipOfDescriptor(input: stdout) }
        if let stderr = command.stderrReader {
            attach(stderr, as: .errorOutput, alsoInput: false) { $0.takingOwnershipOfDescriptor(input: stderr) }
        }
        if let stdin = command.stdinWriter { attachInput(stdin) }
    }

    private func endAfter(_ limit: TimeAmount, pid: pid_t) {
        loop.scheduleTask(in: limit) { [self] in
            guard exitStatus == nil else { return }
            logger.notice("pid \(pid) reached the job time limit; ending its process group")
            ProcessGroup.terminate(pid, grace: settings.killGrace, on: loop)
        }
    }

    /// Starts reading one output descriptor through a pipe channel on this session's loop.
    private func attach(
        _ fd: CInt, as token: Token, alsoInput: Bool, _ open: (NIOPipeBootstrap) -> EventLoopFuture<Channel>
    ) {
        openOutputs += 1
        attachingOutputs += 1
        let session = NIOLoopBound(self, eventLoop: loop)
        let bootstrap = NIOPipeBootstrap(group: loop)
            .channelOption(.autoRead, value: clientKeepsUp)
            .channelOption(.recvAllocator, value: Streaming.pipeReadAllocator)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(OutputPipeHandler(token: token, session: session))
                }
            }
        open(bootstrap).hop(to: loop).whenComplete { [self] result in
            attachingOutputs -= 1
            switch result {
            case .success(let channel):
                outputAttached(channel)
                if alsoInput { inputAttached(channel) }
            case .failure(let error):
                close(fd)
                logger.error("cannot read the command's output: \(error)")
                outputClosed()
            }
        }
    }

    private func attachInput(_ fd: CInt) {
        let session = NIOLoopBound(self, eventLoop: loop)
        NIOPipeBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(InputPipeHandler(session: session))
                }
            }
            .takingOwnershipOfDescriptor(output: fd)
            .hop(to: loop)
            .whenComplete { [self] result in
                switch result {
                case .success(let channel): inputAttached(channel)
                case .failure(let error):
                    close(fd)
                    logger.error("cannot write command input: \(error)")
                }
            }
    }

    private func outputAttached(_ channel: Channel) {
        if isEnded { channel.close(promise: nil) } else { outputChannels.append(channel) }
        armDrainTimer()
    }

    private func inputAttached(_ channel: Channel) {
        stdinChannel = channel
        pendingInput.forEach(writeInput)
        pendingInput = []
        if stdinClosePending || isEnded { closeInput() }
    }

    /// After a round of reads from an output pipe: if what was read and what still waits add up
    /// to a full default-sized pipe, the command outpaces the agent, so its pipe may hold more
    /// and each wake-up carry more (see Streaming). Enlarged once per pipe; past the agent's
    /// pipe budget, or where Linux refuses, the pipe keeps its size.
    func outputReadsEnded(_ token: Token, readBytes: Int) {
        guard readBytes >= Streaming.defaultPipeBytes / 4, terminal == nil, !isEnded, !filledPipes.contains(token)
        else { return }
        let fd = token == .errorOutput ? outputDescriptors.last! : outputDescriptors[0]
        guard readBytes + Int(drs_readable_bytes(fd)) >= Streaming.defaultPipeBytes else { return }
        filledPipes.insert(token)
        let bytes = Streaming.enlargedPipeBytes
        guard registry.pipeBudget.reserve(bytes) else { return }
        guard drs_set_pipe_size(fd, CInt(bytes)) >= bytes else {
            _ = registry.pipeBudget.change(by: -bytes)
            return
        }
        enlargedPipeBytes += bytes
    }

    /// The pipes are closed (or the session is over): their enlarged size goes back to the budget.
    func releaseEnlargedPipes() {
        _ = registry.pipeBudget.change(by: -enlargedPipeBytes)
        enlargedPipeBytes = 0
    }

    // MARK: From the client

    func writeInput(_ bytes: ByteBuffer) {
        guard let stdinChannel else { return pendingInput.append(bytes) }
        // An error from a command that closed its stdin is ignored, as a pipe writer ignores EPIPE.
        stdinDrained = stdinChannel.writeAndFlush(bytes)
    }

    /// Closes stdin once the input written so far has reached the pipe (closing a channel
    /// drops writes it still holds).
    func closeInput() {
        guard let stdinChannel else { return stdinClosePending = true }
        // A terminal has no end of input of its own: the line discipline turns ^D into one.
        if terminal != nil { return writeInput(ByteBuffer(bytes: [0x04])) }
        guard let stdinDrained else { return stdinChannel.close(promise: nil) }
        stdinDrained.whenComplete { _ in stdinChannel.close(promise: nil) }
    }

    func resizeTerminal(_ size: WindowSize) {
        guard let terminal, !isEnded else { return }
        drs_set_window_size(terminal, UInt16(size.columns), UInt16(size.rows))
    }

    func signalCommand(_ signal: CommandSignal) {
        guard let pid, exitStatus == nil else { return }
        kill(-pid, signal.number)
    }
}
