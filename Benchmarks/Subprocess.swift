import Foundation

/// Runs the reference tools (llama-bench, Python) and the model generators.
enum Subprocess {
    /// Runs a program to its end.
    /// - Parameters:
    ///   - executable: The program.
    ///   - arguments: Its arguments.
    /// - Returns: Its standard output.
    /// - Throws: ``BenchmarkError/commandFailed(command:status:stderr:)`` when it exits with another status than 0.
    static func run(_ executable: URL, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let (statuses, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            continuation.yield(finished.terminationStatus)
            continuation.finish()
        }
        try process.run()
        async let stdout = readToEnd(output.fileHandleForReading)
        async let stderr = readToEnd(errors.fileHandleForReading)
        let (text, errorText) = await (stdout, stderr)
        var status: Int32 = -1
        for await value in statuses { status = value }
        guard status == 0 else {
            let command = ([executable.path] + arguments).joined(separator: " ")
            throw BenchmarkError.commandFailed(command: command, status: status, stderr: String(errorText.suffix(2000)))
        }
        return text
    }

    private static func readToEnd(_ handle: FileHandle) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: String(decoding: handle.readDataToEndOfFile(), as: UTF8.self))
            }
        }
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
