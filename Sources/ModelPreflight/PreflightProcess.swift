import Foundation
import ModelRegistry

/// How the engines start the `model-preflight` child: its environment, and one run bounded by a timeout (killed with
/// `SIGKILL` when it runs out or the waiting task is cancelled), through ``ChildProcess``.
package enum PreflightProcess {
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

    /// Starts the child with ``childEnvironment(_:)`` and waits for it to end.
    /// - Parameters:
    ///   - executable: The `model-preflight` program.
    ///   - arguments: Its arguments.
    ///   - timeout: The longest it may run.
    /// - Returns: How it ended and what it printed.
    /// - Throws: `CancellationError` when the task is cancelled (once the child, killed, has ended); the error of
    ///   `Process.run()` when it cannot start.
    static func run(executable: String, arguments: [String], timeout: Duration) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run(
            URL(fileURLWithPath: executable), arguments, environment: childEnvironment(), timeout: timeout)
    }
}
