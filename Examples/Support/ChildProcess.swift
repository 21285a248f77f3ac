package import Foundation

/// Runs another program to its end, reading its output as it comes: the benchmarks' reference tools, and the
/// examples run by the tests.
package enum ChildProcess {
    /// What a finished run produced.
    package struct Outcome: Sendable {
        /// The exit status.
        package var status: Int32
        /// Everything written to standard output.
        package var stdout: String
        /// Everything written to standard error.
        package var stderr: String

        /// The standard output's lines.
        package var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Runs a program to its end.
    /// - Parameters:
    ///   - executable: The program.
    ///   - arguments: Its arguments.
    ///   - onOutput: Called after each chunk of standard output with everything read so far, and the process (to
    ///     signal it, for instance).
    /// - Returns: The exit status and both outputs.
    /// - Throws: When the program cannot start.
    package static func run(
        _ executable: URL, _ arguments: [String], onOutput: (String, Process) -> Void = { _, _ in }
    ) async throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let (statuses, statusContinuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            statusContinuation.yield(finished.terminationStatus)
            statusContinuation.finish()
        }
        try process.run()

        let errorText = Task { String(decoding: await readToEnd(errors.fileHandleForReading), as: UTF8.self) }
        var stdout = Data()
        for await chunk in chunks(of: output.fileHandleForReading) {
            stdout.append(chunk)
            onOutput(String(decoding: stdout, as: UTF8.self), process)
        }
        var status: Int32 = -1
        for await value in statuses { status = value }
        return Outcome(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: await errorText.value)
    }

    /// The chunks a file handle delivers until end of file, read on a dispatch thread.
    private static func chunks(of handle: FileHandle) -> AsyncStream<Data> {
        AsyncStream { continuation in
            DispatchQueue.global().async {
                while case let chunk = handle.availableData, !chunk.isEmpty { continuation.yield(chunk) }
                continuation.finish()
            }
        }
    }

    /// Everything a file handle delivers until end of file, read on a dispatch thread.
    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }
}
