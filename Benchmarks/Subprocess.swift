import Foundation
import ModelRegistry

/// Runs the reference tools (llama-bench, Python) and the model generators.
enum Subprocess {
    /// Runs a program to its end.
    /// - Parameters:
    ///   - executable: The program.
    ///   - arguments: Its arguments.
    /// - Returns: Its standard output.
    /// - Throws: ``BenchmarkError/commandFailed(command:status:stderr:)`` when it exits with another status than 0
    ///   or dies on a signal.
    static func run(_ executable: URL, _ arguments: [String]) async throws -> String {
        let outcome = try await ChildProcess.run(executable, arguments)
        guard outcome.succeeded else {
            let command = ([executable.path] + arguments).joined(separator: " ")
            throw BenchmarkError.commandFailed(
                command: command, status: outcome.status, stderr: String(outcome.stderr.suffix(2000)))
        }
        return outcome.stdout
    }
}

/// Why a benchmark could not run.
enum BenchmarkError: Error, CustomStringConvertible {
    /// A file the benchmark needs is missing.
    case missingFile(path: String, hint: String)
    /// A helper program failed.
    case commandFailed(command: String, status: Int32, stderr: String)
    /// A helper program printed something the benchmark cannot read.
    case unexpectedOutput(command: String, reason: String)

    var description: String {
        switch self {
        case .missingFile(let path, let hint):
            "missing \(path): \(hint)"
        case .commandFailed(let command, let status, let stderr):
            "\(command) exited with status \(status):\n\(stderr)"
        case .unexpectedOutput(let command, let reason):
            "cannot read the output of \(command): \(reason)"
        }
    }
}
