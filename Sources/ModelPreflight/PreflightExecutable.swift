import Foundation

/// Finds the `model-preflight` program: the explicit path in the configuration, then `$MODELREGISTRY_PREFLIGHT`,
/// then the folder of the running executable (under `swift test` that is the build folder, which holds the product
/// when the test target depends on it).
package enum PreflightExecutable {
    /// The program's file name.
    static let name = "model-preflight"
    /// The environment variable that names the program.
    static let environmentVariable = "MODELREGISTRY_PREFLIGHT"

    /// The candidates, in the order they are tried, each with where it came from.
    static func candidates(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [(path: String, source: String)] {
        var candidates: [(String, String)] = []
        if let explicit { candidates.append((explicit, "parameter preflightExecutable")) }
        if let path = environment[environmentVariable], !path.isEmpty { candidates.append((path, "$\(environmentVariable)")) }
        var folders: [URL] = []
        if let main = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() { folders.append(main) }
        if let first = CommandLine.arguments.first, first.contains("/") {
            folders.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for folder in folders {
            // an .xctest bundle (macOS) keeps its executable in Contents/MacOS, three levels below the build folder
            var places = [folder]
            if folder.path.hasSuffix(".xctest/Contents/MacOS") {
                places.append(folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
            }
            for candidate in places {
                let path = candidate.appendingPathComponent(name).path
                if !candidates.contains(where: { $0.0 == path }) { candidates.append((path, "beside the running executable")) }
            }
        }
        return candidates
    }

    /// The first candidate that is an executable file.
    /// - Throws: ``PreflightError/executableNotFound(model:searched:)`` listing every candidate.
    package static func locate(model: String, explicit: String?) throws -> String {
        let all = candidates(explicit: explicit)
        // an explicit path that is wrong is an error of its own, not a reason to fall back
        if let explicit, !FileManager.default.isExecutableFile(atPath: explicit) {
            throw PreflightError.executableNotFound(model: model, searched: ["\(explicit) (parameter preflightExecutable)"])
        }
        if let found = all.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) { return found.path }
        throw PreflightError.executableNotFound(model: model, searched: all.map { "\($0.path) (\($0.source))" })
    }
}
