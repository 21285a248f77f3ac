package import Foundation

/// Runs another program to its end, reading its output as it comes: the preflight child the engines load unverified
/// model files in (`ModelPreflight`), the benchmarks' reference tools, and every program the tests start (examples,
/// Python fixture writers, `sha256sum`, the catalog tool).
///
/// Nothing here blocks a thread of Swift's tasks: both pipes are read on threads of their own (``PipeReading``) and
/// the end of the program is awaited through its termination handler, so a child that hangs stalls only the task
/// that awaits it. Cancelling that task kills the child (`SIGKILL`), and so does the end of an optional time limit;
/// either way the wait returns only once the child has ended.
package enum ChildProcess {
    /// What a finished run produced.
    package struct Outcome: Sendable {
        /// The exit status, or the signal's number when ``signalled``.
        package var status: Int32
        /// Whether the program died on a signal (``status`` is then the signal's number).
        package var signalled: Bool
        /// Whether the time limit ran out and the program was killed for it (``signalled`` is then true as well).
        package var timedOut: Bool
        /// Everything written to standard output.
        package var stdout: String
        /// Everything written to standard error.
        package var stderr: String

        /// Whether the program exited with status 0 (and not on a signal).
        package var succeeded: Bool { status == 0 && !signalled }
        /// The standard output's lines.
        package var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Runs a program to its end.
    /// - Parameters:
    ///   - executable: The program.
    ///   - arguments: Its arguments.
    ///   - environment: Its environment; the parent's when `nil`.
    ///   - timeout: The longest it may run before it is killed (``Outcome/timedOut``); `nil` for no limit.
    ///   - onOutput: Called after each chunk of standard output with everything read so far, and the process (to
    ///     signal it, for instance).
    /// - Returns: How it ended and both outputs.
    /// - Throws: The error of `Process.run()` when the program cannot start; `CancellationError` when the task is
    ///   cancelled (once the program, killed, has ended).
    package static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, timeout: Duration? = nil,
        onOutput: (String, Process) -> Void = { _, _ in }
    ) async throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let state = Locked(RunState())
        process.terminationHandler = { finished in
            let end = End(status: finished.terminationStatus, signalled: finished.terminationReason == .uncaughtSignal)
            let waiter = state.withLock { state in
                state.end = end
                defer { state.endWaiter = nil }
                return state.endWaiter
            }
            waiter?.resume(returning: end)
        }
        return try await withTaskCancellationHandler {
            try process.run()
            let pid = process.processIdentifier
            state.withLock { $0.pid = pid }
            if Task.isCancelled { kill(pid, SIGKILL) }  // cancelled before the pid was known
            let timer = timeout.map { limit in
                Task {
                    guard (try? await Task.sleep(for: limit)) != nil else { return }  // cancelled: the child ended
                    state.withLock { state in
                        guard state.end == nil else { return }
                        state.timedOut = true
                        kill(pid, SIGKILL)
                    }
                }
            }
            defer { timer?.cancel() }

            let errorText = Task { String(decoding: await PipeReading.readToEnd(errors.fileHandleForReading), as: UTF8.self) }
            var stdout = Data()
            for await chunk in PipeReading.chunks(of: output.fileHandleForReading) {
                stdout.append(chunk)
                onOutput(String(decoding: stdout, as: UTF8.self), process)
            }
            // Not an AsyncStream: its iteration ends as soon as the task is cancelled, and the cancelled wait would
            // then return while the killed child still exists.
            let end = await withCheckedContinuation { (continuation: CheckedContinuation<End, Never>) in
                let known = state.withLock { state -> End? in
                    if state.end == nil { state.endWaiter = continuation }
                    return state.end
                }
                if let known { continuation.resume(returning: known) }
            }
            let stderr = await errorText.value
            try Task.checkCancellation()
            return Outcome(
                status: end.status, signalled: end.signalled, timedOut: state.withLock(\.timedOut),
                stdout: String(decoding: stdout, as: UTF8.self), stderr: stderr)
        } onCancel: {
            state.withLock { state in
                guard let pid = state.pid, state.end == nil else { return }
                kill(pid, SIGKILL)
            }
        }
    }

    /// How the program ended.
    private struct End: Sendable {
        var status: Int32
        var signalled: Bool
    }

    /// What the termination handler, the timer, the cancellation handler and the wait for the end share.
    private struct RunState: Sendable {
        var pid: Int32?
        /// Set by the termination handler, once the program has ended.
        var end: End?
        /// The wait for ``end``, resumed by the termination handler.
        var endWaiter: CheckedContinuation<End, Never>?
        var timedOut = false
    }
}
