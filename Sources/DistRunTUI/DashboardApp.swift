// The dashboard's frame loop, on the one UI thread: poll the terminal, the connection manager's
// event queue and the exit-signal pipe; apply what arrived; redraw about 30 times a second at
// most (FramePacer allows a short burst after a quiet spell), and only when something on screen
// changed (output to a host without a pane on screen changes nothing drawn). Everything waiting
// is taken at once into a backlog and applied a few milliseconds at a time (the selected host's
// first), with keys read in between, so a flood cannot hold up typing or an echo. A host's
// output counts against the manager's small per-host watermarks until it is applied, so what
// the backlog holds stays bounded: a host past its mark is paused.
// The manager's calls only enqueue work on its event loops, so nothing here waits on the network.

import CDistRunSystem
import DistRunClient
import DistRunDashboardModel
import DistRunWire
import Foundation
import NIOCore

final class DashboardApp {
    static let frameInterval = 1.0 / 30
    /// Frames drawn back to back after a quiet spell (see FramePacer).
    static let frameBurst = 3
    /// Longest stretch of applying events before keys are read again and a frame may be drawn.
    static let applySliceSeconds = 0.005
    /// A host's output queued for us or not applied yet past which its connection stops reading
    /// (resumed below the low mark). Small, because a queued event can pin a read buffer several
    /// times its size:
    /// 300 hosts printing 670 KB each (scrollback 100 lines) peaked at 1,111 MiB with 1 MiB,
    /// 656 with 128 KiB and 370 with 16 KiB, and a 100-host flood was no slower.
    static let queueHighWatermarkBytes = 16 << 10
    static let queueLowWatermarkBytes = 4 << 10
    /// Allocations from this size up are returned to the system when freed (see the launcher).
    static let largeAllocationBytes = 64 << 10

    private var controller: DashboardController
    private let manager: ConnectionManager
    private let job: JobSpec
    private let screen: CursesScreen
    private let note: String?
    private let signalPipe: (read: CInt, write: CInt)
    private let transcripts: Transcripts?
    private var backlog = EventBacklog()
    /// Hosts with a pane in the last frame drawn: output to the others changes nothing on screen.
    private var hostsOnScreen = Set<HostID>()

    init(
        controller: DashboardController, manager: ConnectionManager, job: JobSpec, theme: Theme, note: String?,
        transcripts: Transcripts?
    ) {
        self.controller = controller
        self.transcripts = transcripts
        self.manager = manager
        self.job = job
        self.note = note
        screen = CursesScreen(theme: theme)
        var fds: [CInt] = [0, 0]
        precondition(drs_pipe(&fds, 1) == 0, "cannot create the signal pipe")
        signalPipe = (fds[0], fds[1])
    }

    /// Runs until the user quits or a signal asks us to; returns the final model.
    func run() -> Dashboard {
        drs_forward_exit_signals(signalPipe.write)
        screen.start()
        defer { screen.stop() }
        manager.start()
        var dirty = true
        var pacer = FramePacer(interval: Self.frameInterval, burst: Self.frameBurst)
        while true {
            let wait = !backlog.isEmpty ? 0 : dirty ? pacer.wait(at: Self.now()) : 1
            let ready = pollInputs(timeoutSeconds: wait)
            if ready.signal { break }
            let (changed, quit) = readKeys()
            if quit { break }
            backlog.append(manager.events.takeAvailable())
            dirty = applyEvents(frameDue: { pacer.wait(at: Self.now()) == 0 }) || changed || dirty
            if dirty && pacer.takeFrame(at: Self.now()) {
                draw()
                dirty = false
            }
        }
        screen.stop()
        endRemainingCommands()
        return controller.dashboard
    }

    /// Ends what still runs and waits (briefly) until every host reports its final state, so the
    /// summary is true and local agents have hung up their commands before the process exits.
    private func endRemainingCommands() {
        // States still in the backlog come before anything taken now; output no longer matters.
        while let event = backlog.next(preferring: controller.dashboard.selected) {
            if case .stateChanged = event { _ = controller.dashboard.apply(event) }
        }
        manager.cancel(controller.dashboard.activeHosts, reason: "dashboard closed")
        let deadline = Date().addingTimeInterval(2)
        while !controller.dashboard.activeHosts.isEmpty && Date() < deadline {
            for event in manager.events.take(timeoutSeconds: 0.1) { _ = controller.dashboard.apply(event) }
        }
    }

    /// Seconds on a monotonic clock.
    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    private func pollInputs(timeoutSeconds: Double) -> (keys: Bool, signal: Bool) {
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: manager.events.wakeDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: signalPipe.read, events: Int16(POLLIN), revents: 0),
        ]
        // Rounded up: woken a fraction of a millisecond early, the loop would poll again with 0.
        _ = poll(&fds, nfds_t(fds.count), Int32((timeoutSeconds * 1000).rounded(.up)))
        return (fds[0].revents != 0, fds[2].revents != 0)
    }

    /// Handles every waiting key (a resize arrives as a key); returns (screen changed, quit).
    private func readKeys() -> (Bool, Bool) {
        var changed = false
        while let key = screen.readKey() {
            let before = TypingState(controller)
            let commands = controller.handle(key)
            for command in commands {
                if command == .quit { return (true, true) }
                perform(command)
            }
            changed = changed || !Self.onlyTyped(key, commands) || TypingState(controller) != before
        }
        return (changed, false)
    }

    /// A key sent on to programs changes nothing drawn (their echo does, when it comes); a frame
    /// drawn for it would only spend a frame the echo may need (see FramePacer).
    private static func onlyTyped(_ key: KeyPress, _ commands: [ControllerCommand]) -> Bool {
        guard key != .resize, !commands.isEmpty else { return false }
        return commands.allSatisfy { if case .send = $0 { true } else { false } }
    }

    /// What typing can change on screen besides the programs' echo: the mode, the status bar's
    /// note, the line being typed (pipes) and the hosts marked as skipped.
    private struct TypingState: Equatable {
        let mode: UIMode
        let message: String?
        let editLine: String
        let skipped: [Bool]

        init(_ controller: DashboardController) {
            mode = controller.mode
            message = controller.message
            editLine = controller.editLine
            skipped = controller.dashboard.hosts.map(\.skippedLastInput)
        }
    }

    private func perform(_ command: ControllerCommand) {
        switch command {
        case .send(let bytes, let hosts): manager.send(bytes, to: hosts)
        case .signal(let signal, let hosts): manager.signal(signal, to: hosts)
        case .closeInput(let hosts): manager.closeInput(to: hosts)
        case .run(let argv, let hosts):
            var newJob = job
            newJob.argv = argv
            manager.run(newJob, on: hosts)
        case .rerun(let hosts): manager.run(job, on: hosts)
        case .quit: break
        }
    }

    /// Applies waiting events for up to `applySliceSeconds`, or until the screen changed and a
    /// frame is due: an echo applied first must not wait for the rest of the slice to be drawn.
    /// True when the screen changed.
    private func applyEvents(frameDue: () -> Bool) -> Bool {
        let deadline = Self.now() + Self.applySliceSeconds
        var changed = false
        while let event = backlog.next(preferring: controller.dashboard.selected) {
            changed = apply(event) || changed
            if Self.now() >= deadline || changed && frameDue() { break }
        }
        return changed
    }

    private func apply(_ event: HostEvent) -> Bool {
        let replies = controller.dashboard.apply(event)
        if case .output(let host, _, let bytes) = event {
            transcripts?.append(bytes, host: host, name: controller.dashboard.hosts[host].endpoint.name)
            manager.events.markApplied(bytes.readableBytes, of: host)
        }
        if !replies.isEmpty { manager.send(ByteBuffer(bytes: replies), to: [event.host]) }
        if case .output = event { return hostsOnScreen.contains(event.host) }
        return true  // a state: the header, the host list, maybe a pane's title
    }

    private func draw() {
        let view = DashboardView(controller: controller, size: screen.size, note: note)
        controller.viewHeight = view.selectedPaneRows
        hostsOnScreen = Set(view.layout.panes.map(\.host))
        fitTerminals(to: view.layout)
        screen.draw(view)
    }

    /// Each visible pane's terminal takes the pane's inner size, and its remote terminal is told.
    private func fitTerminals(to layout: ScreenLayout) {
        for placement in layout.panes {
            let inner = placement.frame.inset
            if controller.dashboard.resizeTerminal(of: placement.host, rows: inner.height, columns: inner.width) {
                manager.resize(placement.host, to: WindowSize(columns: inner.width, rows: inner.height))
            }
        }
    }
}
