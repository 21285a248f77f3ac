import Foundation
import ModelRegistry
import ModelRegistryTestSupport

/// A models directory for the discovery tests, built from the real ONNX fixtures and a GGUF file written by the
/// `gguf` Python package.
enum DiscoveryFixtures {
    /// What the directory holds, and which entries must fail.
    struct Layout {
        /// The directory.
        let root: URL
        /// The temporary folder that holds the directory; remove it when done.
        var workspace: URL { root.deletingLastPathComponent() }
        /// A catalog file next to the directory (not created).
        var catalogFile: URL { workspace.appendingPathComponent("catalog.json") }
        /// Non-hidden entries in it.
        let entryCount: Int
        /// Names of the models that must be registered, with their file paths.
        let models: [String: String]
        /// Paths that must be reported as errors.
        let failing: Set<String>
    }

    /// Writes a GGUF file with the `gguf` package of the setup's virtual environment.
    /// - Parameters:
    ///   - url: Where to write it.
    ///   - architecture: `general.architecture`.
    ///   - contextLength: `<architecture>.context_length`.
    ///   - fileType: `general.file_type`.
    static func writeGGUF(to url: URL, architecture: String, contextLength: Int, fileType: Int) async throws {
        let script = """
            import sys, numpy, gguf
            w = gguf.GGUFWriter(sys.argv[1], sys.argv[2])
            w.add_context_length(int(sys.argv[3]))
            w.add_file_type(int(sys.argv[4]))
            w.add_token_list(["<unk>", "a", "b"])
            w.add_tensor("weight", numpy.zeros((4, 4), dtype=numpy.float32))
            w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
            """
        guard FileManager.default.isExecutableFile(atPath: NativeFixtures.python.path) else {
            throw FixtureError(description: "no Python at \(NativeFixtures.python.path): run `make setup`")
        }
        let run = try await ChildProcess.run(
            NativeFixtures.python, ["-c", script, url.path, architecture, "\(contextLength)", "\(fileType)"])
        guard run.succeeded else {
            throw FixtureError(description: "the gguf writer ended with status \(run.status): \(run.stderr)")
        }
    }

    /// Why a fixture could not be built; the discovery tests fail with it (the setup provides Python).
    struct FixtureError: Error, CustomStringConvertible {
        var description: String
    }

    /// Builds the directory:
    /// - `logreg_iris.onnx`, `sigmoid.onnx`: model files (real fixtures);
    /// - `tiny.gguf`: a GGUF file (llama, context 256, file type 1 = F16);
    /// - `mul/model.onnx`: a model folder;
    /// - `empty-folder/` with a README: not a model, ignored;
    /// - `notes.txt`: ignored;
    /// - `.hidden.onnx`: skipped;
    /// - `two/` with two ONNX files: an error;
    /// - `dangling.onnx` → a missing file: an error;
    /// - `fake.gguf`: text, not GGUF: an error.
    ///
    /// We run as root, so a `chmod 000` file would still be readable: the unreadable entries are a dangling link,
    /// an ambiguous folder and a file whose header is wrong.
    static func makeModelsDirectory() async throws -> Layout {
        let root = try NativeFixtures.temporaryDirectory().appendingPathComponent("models")
        let files = FileManager.default
        try files.createDirectory(at: root, withIntermediateDirectories: true)
        func copy(_ fixture: String, to relative: String) throws {
            let destination = root.appendingPathComponent(relative)
            try files.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try files.copyItem(at: NativeFixtures.model(fixture), to: destination)
        }
        try copy("logreg_iris.onnx", to: "logreg_iris.onnx")
        try copy("sigmoid.onnx", to: "sigmoid.onnx")
        try copy("mul_1.onnx", to: "mul/model.onnx")
        try copy("mul_1.onnx", to: ".hidden.onnx")
        try copy("mul_1.onnx", to: "two/a.onnx")
        try copy("sigmoid.onnx", to: "two/b.onnx")
        try await writeGGUF(
            to: root.appendingPathComponent("tiny.gguf"), architecture: "llama", contextLength: 256, fileType: 1)
        try files.createDirectory(at: root.appendingPathComponent("empty-folder"), withIntermediateDirectories: true)
        try Data("no model here\n".utf8).write(to: root.appendingPathComponent("empty-folder/README"))
        try Data("notes\n".utf8).write(to: root.appendingPathComponent("notes.txt"))
        try Data("this is not GGUF\n".utf8).write(to: root.appendingPathComponent("fake.gguf"))
        try files.createSymbolicLink(
            atPath: root.appendingPathComponent("dangling.onnx").path, withDestinationPath: "/nonexistent/model.onnx")
        let path = { (relative: String) in root.appendingPathComponent(relative).path }
        return Layout(
            root: root, entryCount: 9,
            models: [
                "logreg_iris": path("logreg_iris.onnx"), "sigmoid": path("sigmoid.onnx"), "tiny": path("tiny.gguf"),
                "mul": path("mul/model.onnx"),
            ],
            failing: [path("two"), path("dangling.onnx"), path("fake.gguf")])
    }
}
