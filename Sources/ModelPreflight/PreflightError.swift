public import Foundation

/// Why the preflight of a model file (loading it in a `model-preflight` child process first) failed. The host
/// process keeps running; the registry's record of the model becomes `failed` with this error as the reason.
public enum PreflightError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// The child died on a signal (libllama or ggml aborted, e.g. on `GGML_ASSERT`): the file would have taken the
    /// host process down. `nativeMessage` is the child's last native diagnostic line (the `GGML_ASSERT` line).
    case childCrashed(model: String, path: String, signal: Int32, nativeMessage: String?)
    /// The child ended with an unexpected exit status (not a verdict), with the tail of its standard error.
    case childFailed(model: String, path: String, status: Int32, output: String)
    /// The child did not finish within the model's load timeout and was killed.
    case timedOut(model: String, path: String, after: Duration)
    /// No `model-preflight` program was found; `searched` lists every place that was tried, in order.
    case executableNotFound(model: String, searched: [String])
    /// The child could not be started.
    case launchFailed(model: String, executable: String, reason: String)
    /// A preflight parameter is invalid.
    case invalidParameter(model: String, name: String, value: String, expected: String)
    /// The engine in the child refused the file with an error (`reason`, the child's message) that the engine's
    /// in-process checks did not repeat, so the host did not open the file natively.
    case childRefused(model: String, path: String, reason: String)
    /// The path leads to another file than the one the preflight checked (a link re-pointed, or the file replaced or
    /// rewritten, while the model loaded): the unchecked file is not opened in-process.
    case fileChanged(model: String, path: String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .childCrashed(let model, let path, let signal, let message):
            "model \"\(model)\": \(path) crashed the preflight process (signal \(signal), \(Self.signalName(signal)))"
                + (message.map { ": \($0)" } ?? "")
                + "; libllama cannot run this file safely: convert it again with a current llama.cpp"
        case .childFailed(let model, let path, let status, let output):
            "model \"\(model)\": the preflight process for \(path) exited with status \(status)"
                + (output.isEmpty ? "" : ": \(output)")
        case .timedOut(let model, let path, let after):
            "model \"\(model)\": preflighting \(path) took longer than \(after) and was stopped; raise loadTimeoutSeconds"
        case .executableNotFound(let model, let searched):
            "model \"\(model)\": the model-preflight program was not found (looked at: \(searched.joined(separator: ", "))); "
                + "build it (`swift build --product model-preflight`) and set the parameter preflightExecutable or "
                + "MODELREGISTRY_PREFLIGHT to its path, or set preflight = never to load unchecked files in-process"
        case .launchFailed(let model, let executable, let reason):
            "model \"\(model)\": could not start the preflight program \(executable): \(reason)"
        case .invalidParameter(let model, let name, let value, let expected):
            "model \"\(model)\": \(name) = \(value) is invalid; expected \(expected)"
        case .childRefused(let model, let path, let reason):
            "model \"\(model)\": the preflight process could not load \(path), so it was not opened in this process: "
                + reason
        case .fileChanged(let model, let path):
            "model \"\(model)\": \(path) was replaced or re-pointed after its preflight, so it was not opened "
                + "unchecked; load it again once the file stops changing"
        }
    }

    /// The same text as ``description``, for Foundation's error reporting.
    public var errorDescription: String? { description }

    private static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGABRT: "SIGABRT"
        case SIGSEGV: "SIGSEGV"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        case SIGILL: "SIGILL"
        case SIGKILL: "SIGKILL"
        case SIGTRAP: "SIGTRAP"
        default: "signal \(signal)"
        }
    }
}
