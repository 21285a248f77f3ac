public import Foundation

/// Finds the native prefix that `Scripts/install-native-deps.sh` installs (libraries, tools and model fixtures).
///
/// The prefix is `$MODELREGISTRY_NATIVE_PREFIX` when set, else the `.native` link at the package root.
public enum NativeFixtures {
    /// The package's root folder (where `Package.swift` is).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The native prefix: `lib/`, `bin/`, `include/`, `share/models/`, `venv/`.
    public static var prefix: URL {
        if let custom = ProcessInfo.processInfo.environment["MODELREGISTRY_NATIVE_PREFIX"], !custom.isEmpty {
            return URL(fileURLWithPath: custom)
        }
        return packageRoot.appendingPathComponent(".native").resolvingSymlinksInPath()
    }

    /// A model fixture by file name, e.g. `"logreg_iris.onnx"` or `"tiny-llama.gguf"`.
    /// - Parameter fileName: The fixture's file name under `share/models/`.
    /// - Returns: Its URL (the file may not exist if setup has not run).
    public static func model(_ fileName: String) -> URL {
        prefix.appendingPathComponent("share/models").appendingPathComponent(fileName)
    }

    /// The Python interpreter of the setup's virtual environment (onnxruntime, gguf, onnx installed).
    public static var python: URL { prefix.appendingPathComponent("venv/bin/python") }

    /// A fresh temporary directory for one test, removed by the caller when done.
    /// - Returns: The directory's URL.
    /// - Throws: When the directory cannot be created.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("modelregistry-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
