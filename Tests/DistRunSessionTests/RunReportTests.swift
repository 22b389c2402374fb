// RunReport: the exit code of `distrun` and the summary table. The exit code is the most serious
// outcome: 2 if any host could not run (even when others exited non-zero), else 1 if any command
// exited non-zero or was killed by a signal, else 0. The summary names every host with its time
// and final state, and ends with the list of hosts that failed.

import DistRunClient
import DistRunSession
import DistRunWire
import Testing

private let start = ContinuousClock.now

private func record(_ name: String, _ state: HostState, after duration: Duration? = nil) -> HostRecord {
    var record = HostRecord(endpoint: HostEndpoint(name: name, host: "\(name).example"), startedAt: start)
    record.state = state
    record.endedAt = duration.map { start + $0 }
    return record
}

private func report(_ states: [HostState]) -> RunReport {
    RunReport(records: states.enumerated().map { record("h\($0.offset)", $0.element) })
}

private let unreachable = HostState.failed(HostFailure(.unreachable, "connection refused"))
private let timedOut = HostState.failed(HostFailure(.timedOut, "no exit after 30s"))

@Suite struct RunReportTests {
    @Test func exitCodeConstants() {
        #expect(RunExitCode.success == 0)
        #expect(RunExitCode.commandFailed == 1)
        #expect(RunExitCode.hostFailed == 2)
    }

    static let exitCodeTable: [([HostState], Int32)] = [
        ([.exited(.exited(0))], 0),
        ([.exited(.exited(0)), .exited(.exited(0)), .exited(.exited(0))], 0),
        ([.exited(.exited(0)), .exited(.exited(3)), .exited(.exited(0))], 1),
        ([.exited(.exited(0)), .exited(.signaled(9))], 1),
        ([.exited(.signaled(15)), .exited(.exited(1))], 1),
        ([.exited(.exited(0)), unreachable], 2),
        ([.exited(.exited(3)), .exited(.signaled(9)), unreachable], 2),
        ([timedOut, .exited(.exited(0))], 2),
        ([.failed(HostFailure(.lost, "reset")), .failed(HostFailure(.rejected, "bad"))], 2),
    ]

    @Test(arguments: exitCodeTable)
    func exitCodeIsTheMostSeriousOutcome(states: [HostState], expected: Int32) {
        #expect(report(states).exitCode == expected)
    }

    @Test func failedHostsAreExactlyTheFailedStatesInOrder() {
        let run = report([unreachable, .exited(.exited(2)), timedOut, .exited(.signaled(9))])
        #expect(run.failedHosts.map(\.endpoint.name) == ["h0", "h2"])
    }

    @Test func isCompleteOnlyWhenEveryHostIsFinal() {
        #expect(report([.exited(.exited(0)), unreachable]).isComplete)
        #expect(!report([.exited(.exited(0)), .running]).isComplete)
        #expect(!report([.connecting]).isComplete)
    }

    @Test func summaryListsEveryHostWithTimeAndStateThenTheFailedHosts() {
        let run = RunReport(records: [
            record("web-1", .exited(.exited(0)), after: .milliseconds(1234)),
            record("db", .exited(.exited(3)), after: .milliseconds(12_500)),
            record("cache-long", unreachable),
            record("x", .exited(.signaled(9)), after: .milliseconds(50)),
            record("api", timedOut, after: .seconds(30)),
        ])
        #expect(
            run.summary() == """
                distrun: 5 hosts: 1 ok, 2 command failed, 2 host failed
                  web-1           1.23s  exit 0
                  db             12.50s  exit 3
                  cache-long          -  unreachable: connection refused
                  x               0.05s  killed by SIGKILL
                  api            30.00s  timed out: no exit after 30s
                distrun: failed hosts: cache-long api

                """)
    }

    @Test func summaryWithoutFailedHostsHasNoFailedLine() {
        let run = RunReport(records: [
            record("a", .exited(.exited(0)), after: .seconds(1)),
            record("bb", .exited(.exited(0)), after: .milliseconds(999)),
        ])
        #expect(
            run.summary() == """
                distrun: 2 hosts: 2 ok, 0 command failed, 0 host failed
                  a       1.00s  exit 0
                  bb      0.99s  exit 0

                """)
        #expect(!run.summary().contains("failed hosts"))
    }
}
