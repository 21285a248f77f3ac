import Foundation
import ModelRegistry
import Testing

/// How `ChildProcess` reports a child's end: its status, a signal, a time limit that ran out, a cancelled wait.
@Suite(.timeLimit(.minutes(2))) struct ChildProcessTests {
    private static let shell = URL(fileURLWithPath: "/bin/sh")

    @Test func exitStatusAndBothOutputs_areReported() async throws {
        let outcome = try await ChildProcess.run(Self.shell, ["-c", "echo out; echo err >&2; exit 3"])
        #expect(outcome.status == 3 && !outcome.signalled && !outcome.timedOut && !outcome.succeeded)
        #expect(outcome.stdout == "out\n" && outcome.stderr == "err\n")
    }

    @Test func childThatOutlivesItsTimeLimit_isKilled_andSaysSo() async throws {
        // `exec` so the shell itself is the sleeping process the kill reaches.
        let outcome = try await ChildProcess.run(Self.shell, ["-c", "echo started; exec sleep 60"], timeout: .milliseconds(300))
        #expect(outcome.timedOut && outcome.signalled && outcome.status == SIGKILL)
        #expect(outcome.stdout == "started\n")
    }

    @Test func childThatEndsInTime_isNotMarkedTimedOut() async throws {
        let outcome = try await ChildProcess.run(Self.shell, ["-c", "exit 0"], timeout: .seconds(30))
        #expect(outcome.succeeded && !outcome.timedOut)
    }

    /// The wait throws only once the killed child has ended, so its process is gone by then (and its pid cannot
    /// be signalled by mistake).
    @Test func cancellingTheWait_killsTheChild_andThrowsOnlyOnceItHasEnded() async throws {
        let (started, startedContinuation) = AsyncStream.makeStream(of: Int32.self)
        let run = Task {
            try await ChildProcess.run(Self.shell, ["-c", "echo started; exec sleep 60"]) { output, process in
                if output.contains("started") { startedContinuation.yield(process.processIdentifier) }
            }
        }
        var pid: Int32 = 0
        for await started in started {  // the child is running
            pid = started
            break
        }
        #expect(kill(pid, 0) == 0, "child \(pid) runs")
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        let signalled = kill(pid, 0), reason = errno
        #expect(signalled == -1 && reason == ESRCH, "child \(pid) still exists")
    }
}
