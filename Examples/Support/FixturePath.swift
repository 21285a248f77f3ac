package import Foundation

/// Shared by the examples and the benchmarks.
///
/// Finds the model files `Scripts/install-native-deps.sh` installs in `<native prefix>/share/models/`.
///
/// The prefix is `$MODELREGISTRY_NATIVE_PREFIX` when set, else the `.native` link at the package root (found by
/// walking up from this source file), else `.native` in the current directory.
package enum FixturePath {
    /// The candidate native prefixes, in the order they are tried.
    package static var prefixes: [URL] {
        var prefixes: [URL] = []
        if let custom = ProcessInfo.processInfo.environment["MODELREGISTRY_NATIVE_PREFIX"], !custom.isEmpty {
            prefixes.append(URL(fileURLWithPath: custom))
        }
        if let root = packageRoot { prefixes.append(root.appendingPathComponent(".native")) }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        prefixes.append(here.appendingPathComponent(".native"))
        return prefixes
    }

    /// The package root: the nearest folder above this source file that holds `Package.swift`.
    package static var packageRoot: URL? {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            let manifest = folder.appendingPathComponent("Package.swift")
            if FileManager.default.fileExists(atPath: manifest.path) { return folder }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    /// A model fixture by file name.
    /// - Parameter fileName: E.g. `"logreg_iris.onnx"`.
    /// - Returns: The first candidate that exists, else the first candidate (so an error names a likely path).
    package static func model(_ fileName: String) -> URL {
        let candidates = prefixes.map {
            $0.appendingPathComponent("share/models").appendingPathComponent(fileName).resolvingSymlinksInPath()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }
}
