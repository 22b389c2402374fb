// What the dashboard asks every host to run, from its command-line options (DashboardLauncher.job):
// the connect timeout, the default command, pseudo-terminals or pipes, keeping sessions. The
// flag parsing itself is tested end to end (EndToEndTests/DashboardOptionsTests.swift).

import DistRunClient
import NIOCore
import Testing

@testable import DistRunTUI

@Suite struct DashboardLauncherTests {
    @Test func theConnectTimeoutDefaultsToFiveSecondsAndFollowsTheOption() {
        var options = DashboardOptions()
        #expect(DashboardLauncher.job(options).connectTimeout == .seconds(5))
        options.connectTimeoutSeconds = 30
        #expect(DashboardLauncher.job(options).connectTimeout == .seconds(30))
        options.connectTimeoutSeconds = 0.25
        #expect(DashboardLauncher.job(options).connectTimeout == .milliseconds(250))
    }

    @Test func withNoCommandEachHostRunsAShellOnAPseudoTerminalAndKeepsItsSession() {
        let job = DashboardLauncher.job(DashboardOptions())
        #expect(job.argv == DashboardOptions.defaultCommand)
        #expect(job.terminalSize != nil && !job.separateStderr && job.connectStdin)
        #expect(job.reconnect != nil)
    }

    @Test func noPtyAndNoKeepGivePipesAndNoReconnecting() {
        var options = DashboardOptions()
        options.useTerminals = false
        options.keepSessions = false
        options.argv = ["uptime"]
        let job = DashboardLauncher.job(options)
        #expect(job.argv == ["uptime"])
        #expect(job.terminalSize == nil && job.separateStderr)
        #expect(job.reconnect == nil)
    }
}
