import Foundation
import ModelRegistry
import ModelRegistryTestSupport

/// Runs the example executables that SwiftPM builds next to the test bundle.
enum ExampleProcess {
    /// What a finished run produced.
    typealias Outcome = ChildProcess.Outcome

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
    ///   - onOutput: Called after each chunk of standard output with everything read so far, and the process.
    /// - Returns: The exit status and both outputs.
    /// - Throws: When the executable is missing or cannot start.
    static func run(
        _ name: String, _ arguments: [String], onOutput: (String, Process) -> Void = { _, _ in }
    ) async throws -> Outcome {
        try await ChildProcess.run(try executable(name), arguments, onOutput: onOutput)
    }
}
