import ExampleSupport
import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// Temporary catalogs, model versions and the `model-catalog` tool for the catalog and discovery tests.
enum CatalogFixtures {
    /// A fresh directory and the URL of a catalog file in it (the file does not exist yet).
    static func catalogURL() throws -> (directory: URL, file: URL) {
        let directory = try NativeFixtures.temporaryDirectory()
        return (directory, directory.appendingPathComponent("catalog.json"))
    }

    /// A version of a model at a made-up path.
    static func version(
        _ name: String, _ version: SemanticVersion, format: ModelFormat = .onnx, stage: ModelStage = .development
    ) -> ModelVersion {
        ModelVersion(
            name: name, version: version, path: "/models/\(name)-\(version).\(format)", format: format, stage: stage,
            metadata: ModelMetadata(tags: ["test"], sizeBytes: 1234))
    }

    /// The `model-catalog` executable built next to the test bundle.
    /// - Throws: When it is in none of the places SwiftPM puts it; the message lists them.
    static func toolURL() throws -> URL {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        directories.append(NativeFixtures.packageRoot.appendingPathComponent(".build/debug"))
        let candidates = directories.map { $0.appendingPathComponent("model-catalog") }
        guard let tool = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ToolNotFound(searched: candidates.map(\.path))
        }
        return tool
    }

    /// The tool could not be found.
    struct ToolNotFound: Error, CustomStringConvertible {
        let searched: [String]
        var description: String { "model-catalog not found; build it first. Searched: \(searched)" }
    }

    /// Runs an executable to its end.
    /// - Returns: The exit status and what it wrote to standard error.
    static func run(_ executable: URL, _ arguments: [String]) async throws -> (status: Int32, stderr: String) {
        let run = try await ChildProcess.run(executable, arguments)
        return (run.signalled ? -run.status : run.status, run.stderr)
    }
}
