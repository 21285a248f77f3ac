import ExampleSupport
import Foundation

/// The files the benchmarks use: the native prefix's tools and fixtures, and the larger models they generate once
/// and cache next to the fixtures (in `<native prefix>/share/models/`, outside the repository).
struct BenchFiles {
    /// The native prefix: `bin/llama-bench`, `venv/bin/python`, `share/models/`.
    let prefix: URL
    /// The package root, for the Python helpers.
    let packageRoot: URL

    /// Finds the prefix the setup script installed.
    /// - Throws: ``BenchmarkError/missingFile(path:hint:)`` when there is none.
    init() throws {
        let model = FixturePath.model("logreg_iris.onnx")
        guard FileManager.default.fileExists(atPath: model.path), let root = FixturePath.packageRoot else {
            throw BenchmarkError.missingFile(
                path: model.path, hint: "run `make setup` (Scripts/install-native-deps.sh)")
        }
        prefix = model.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        packageRoot = root
    }

    var models: URL { prefix.appendingPathComponent("share/models") }
    var python: URL { prefix.appendingPathComponent("venv/bin/python") }
    var llamaBench: URL { prefix.appendingPathComponent("bin/llama-bench") }

    /// A fixture the setup script installed, e.g. `tiny-llama.gguf`.
    func fixture(_ name: String) -> URL { models.appendingPathComponent(name) }

    /// A llama GGUF of about `millions` million random parameters, written once by `Scripts/make_tiny_gguf.py`.
    /// - Throws: When the generator fails.
    func benchGGUF(millions: Int) async throws -> URL {
        let file = models.appendingPathComponent("bench-\(millions)m.gguf")
        try await generateOnce(file) { temporary in
            [packageRoot.appendingPathComponent("Scripts/make_tiny_gguf.py").path, "--out", temporary.path,
             "--params-millions", "\(millions)"]
        }
        return file
    }

    /// An MLP (`batch` × `inputs` → `layers` × `hidden` → 10), written once by `Benchmarks/make_mlp.py`.
    /// - Throws: When the generator fails.
    func benchMLP(batch: Int, inputs: Int, hidden: Int, layers: Int) async throws -> URL {
        let file = models.appendingPathComponent("bench-mlp-b\(batch)-\(inputs)x\(hidden)x\(layers).onnx")
        try await generateOnce(file) { temporary in
            [packageRoot.appendingPathComponent("Benchmarks/make_mlp.py").path, "--out", temporary.path,
             "--batch", "\(batch)", "--inputs", "\(inputs)", "--hidden", "\(hidden)", "--layers", "\(layers)"]
        }
        return file
    }

    /// Runs a Python generator into a temporary name and renames it, unless the file exists.
    private func generateOnce(_ file: URL, arguments: (URL) -> [String]) async throws {
        guard !FileManager.default.fileExists(atPath: file.path) else { return }
        Progress.say("generating \(file.lastPathComponent) (once; cached in \(models.path))")
        let temporary = file.deletingLastPathComponent()
            .appendingPathComponent(".\(file.lastPathComponent).\(getpid())")
        defer { try? FileManager.default.removeItem(at: temporary) }
        _ = try await Subprocess.run(python, arguments(temporary))
        try FileManager.default.moveItem(at: temporary, to: file)
    }
}

/// Progress lines on standard error, so standard output holds only the table.
enum Progress {
    static func say(_ message: String) {
        FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
    }
}
