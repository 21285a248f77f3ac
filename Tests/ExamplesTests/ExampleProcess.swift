import Foundation
import ModelRegistryTestSupport

/// Runs the example executables that SwiftPM builds next to the test bundle.
enum ExampleProcess {
    /// What a finished run produced.
    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The standard output's lines.
        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    /// An example executable built next to the test bundle.
    /// - Parameter name: The executable target's name, e.g. `"iris"`.
    /// - Throws: ``NotFound`` listing the places searched.
    static func executable(_ name: String) throws -> URL {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        directories.append(NativeFixtures.packageRoot.appendingPathComponent(".build/debug"))
        let candidates = directories.map { $0.appendingPathComponent(name) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw NotFound(name: name, searched: candidates.map(\.path))
        }
        return found
    }

    /// The executable could not be found.
    struct NotFound: Error, CustomStringConvertible {
        let name: String
        let searched: [String]
        var description: String {
            "\(name) not found; build it first (swift build --build-tests). Searched: \(searched)"
        }
    }

    /// Runs an example to its end, reading its output as it comes.
    /// - Parameters:
    ///   - name: The executable target's name.
    ///   - arguments: Its arguments.
    ///   - onOutput: Called after each chunk of standard output with everything read so far, and the process (to
    ///     signal it, for instance).
    /// - Returns: The exit status and both outputs.
    /// - Throws: When the executable is missing or cannot start.
    static func run(
        _ name: String, _ arguments: [String], onOutput: (String, Process) -> Void = { _, _ in }
    ) async throws -> Outcome {
        let process = Process()
        process.executableURL = try executable(name)
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
