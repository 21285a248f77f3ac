package import Foundation
import ModelRegistry

/// Runs another program to its end, reading its output as it comes: the benchmarks' reference tools, and every
/// program the tests start (examples, Python fixture writers, `sha256sum`, the catalog tool, the preflight child).
///
/// Nothing here blocks a thread: both pipes are read as data arrives (``PipeReading``) and the end of the program is
/// awaited through its termination handler, so a child that hangs stalls only the task that
/// awaits it. Cancelling that task kills the child (`SIGKILL`), so a test's time limit ends a hung child too.
package enum ChildProcess {
    /// What a finished run produced.
    package struct Outcome: Sendable {
        /// The exit status, or the signal's number when ``signalled``.
        package var status: Int32
        /// Whether the program died on a signal (``status`` is then the signal's number).
        package var signalled: Bool
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
    ///   - onOutput: Called after each chunk of standard output with everything read so far, and the process (to
    ///     signal it, for instance).
    /// - Returns: The exit status and both outputs.
    /// - Throws: When the program cannot start; `CancellationError` when the task is cancelled (the program is
    ///   killed first).
    package static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
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
        let (ends, endContinuation) = AsyncStream.makeStream(of: (status: Int32, signalled: Bool).self)
        process.terminationHandler = { finished in
            endContinuation.yield((finished.terminationStatus, finished.terminationReason == .uncaughtSignal))
            endContinuation.finish()
        }
        let pid = Locked<Int32?>(nil)
        return try await withTaskCancellationHandler {
            try process.run()
            pid.withLock { $0 = process.processIdentifier }
            if Task.isCancelled { kill(process.processIdentifier, SIGKILL) }  // cancelled before the pid was known

            let errorText = Task { String(decoding: await PipeReading.readToEnd(errors.fileHandleForReading), as: UTF8.self) }
            var stdout = Data()
            for await chunk in PipeReading.chunks(of: output.fileHandleForReading) {
                stdout.append(chunk)
                onOutput(String(decoding: stdout, as: UTF8.self), process)
            }
            var end: (status: Int32, signalled: Bool) = (-1, false)
            for await value in ends { end = value }
            let stderr = await errorText.value
            try Task.checkCancellation()
            return Outcome(
                status: end.status, signalled: end.signalled, stdout: String(decoding: stdout, as: UTF8.self),
                stderr: stderr)
        } onCancel: {
            if let pid = pid.withLock({ $0 }) { kill(pid, SIGKILL) }
        }
    }
}
