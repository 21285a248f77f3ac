import Dispatch
import Foundation
import ModelRegistry

/// Runs the `model-preflight` child once and waits for it: bounded by a timeout, killed (`SIGKILL`) when the
/// waiting task is cancelled, with its standard output and error collected.
package struct PreflightProcess: Sendable {
    /// How the child ended.
    enum Outcome: Sendable, Equatable {
        /// It exited with this status.
        case exited(status: Int32)
        /// It died on this signal (not one we sent).
        case signalled(signal: Int32)
        /// We killed it after the timeout.
        case timedOut
    }

    /// What the child did and printed.
    struct Result: Sendable {
        let outcome: Outcome
        let standardOutput: String
        let standardError: String
    }

    let executable: String
    let arguments: [String]
    let timeout: Duration

    /// Sanitizer options that leave fatal signals to the kernel, so a crash stays a crash.
    static let sanitizerSignals = "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0"

    /// The environment of the child: the parent's, with ggml's backtrace (which would attach a debugger) and Swift's off, and
    /// libllama's warnings on standard error so a failure carries its native message.
    package static func childEnvironment(
        _ parent: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String: String] {
        var environment = parent
        environment["GGML_NO_BACKTRACE"] = "1"
        environment["SWIFT_BACKTRACE"] = "enable=no"  // the crash is expected; its native message is enough
        // under a sanitizer (the TSan test run) the child would catch SIGSEGV itself and exit 66: let it die instead
        for name in ["TSAN_OPTIONS", "ASAN_OPTIONS"] {
            environment[name] = [environment[name], Self.sanitizerSignals].compactMap { $0 }.joined(separator: ":")
        }
        if environment["MODELREGISTRY_LLAMA_LOG"] == nil { environment["MODELREGISTRY_LLAMA_LOG"] = "warn" }
        return environment
    }

    /// Starts the child and waits for it to end.
    /// - Throws: `CancellationError` when the task is cancelled (the child is killed first); the error of
    ///   `Process.run()` when it cannot start.
    func run() async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = Self.childEnvironment()
        process.standardInput = FileHandle.nullDevice
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let state = Locked(RunState())
        let finished = DispatchGroup()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                finished.enter()
                process.terminationHandler = { _ in finished.leave() }
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let pid = process.processIdentifier
                state.withLock { $0.pid = pid }
                if state.withLock({ $0.cancelled }) { kill(pid, SIGKILL) }  // cancelled before the pid was known
                let collected = Locked((output: Data(), errors: Data()))
                for (pipe, isOutput) in [(output, true), (errors, false)] {
                    finished.enter()
                    PipeReading.readToEnd(pipe.fileHandleForReading) { data in  // holds no thread while it waits
                        collected.withLock { if isOutput { $0.output = data } else { $0.errors = data } }
                        finished.leave()
                    }
                }
                let timer = DispatchWorkItem {
                    state.withLock { $0.timedOut = true }
                    kill(pid, SIGKILL)
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + Self.interval(timeout), execute: timer)
                finished.notify(queue: .global()) {
                    timer.cancel()
                    let (timedOut, cancelled) = state.withLock { ($0.timedOut, $0.cancelled) }
                    if cancelled {
                        continuation.resume(throwing: CancellationError())
                        return
                    }
                    let outcome: Outcome =
                        timedOut ? .timedOut
                        : process.terminationReason == .uncaughtSignal
                            ? .signalled(signal: process.terminationStatus) : .exited(status: process.terminationStatus)
                    let data = collected.withLock { $0 }
                    continuation.resume(returning: Result(
                        outcome: outcome, standardOutput: String(decoding: data.output, as: UTF8.self),
                        standardError: String(decoding: data.errors, as: UTF8.self)))
                }
            }
        } onCancel: {
            let pid = state.withLock { state in
                state.cancelled = true
                return state.pid
            }
            if let pid { kill(pid, SIGKILL) }
        }
    }

    private struct RunState: Sendable {
        var pid: Int32?
        var cancelled = false
        var timedOut = false
    }

    private static func interval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(Int(clamping: min(seconds, 1 << 32) * 1_000_000_000 + attoseconds / 1_000_000_000))
    }
}
