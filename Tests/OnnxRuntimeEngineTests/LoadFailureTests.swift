import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import OnnxRuntimeEngine
import Testing

/// Files that are not loadable ONNX models fail with an error naming the model, never crash, and leave the engine
/// able to load a good model afterwards.
@Suite(.timeLimit(.minutes(2))) struct LoadFailureTests {
    /// Writes `bytes` to a fresh temporary file and tries to load it; returns the error.
    private func loadError(
        writing bytes: Data, as fileName: String = "model.onnx", name: String = "broken"
    ) async throws -> OnnxRuntimeError {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(fileName).path
        try bytes.write(to: URL(fileURLWithPath: path))
        let engine = OnnxRuntimeEngine()
        let error = try await #require(throws: OnnxRuntimeError.self) {
            try await engine.load(EngineFixtures.context(name: name, path: path))
        }
        #expect(await engine.healthCheck() != .healthy)
        try await engine.load(EngineFixtures.context(name: "good", path: try EngineFixtures.path(EngineFixtures.mul)))
        #expect(await engine.healthCheck() == .healthy)
        return error
    }

    private func expectInvalidModel(_ error: OnnxRuntimeError, model: String = "broken") {
        guard case .invalidModel(let name, let path, let status) = error else {
            Issue.record("expected invalidModel, got \(error)")
            return
        }
        #expect(name == model)
        #expect(path.hasSuffix(".onnx"))
        #expect(!status.message.isEmpty)
        #expect(error.description.contains("\"\(model)\""))
    }

    @Test func load_missingFile_throwsFileNotFound() async throws {
        let engine = OnnxRuntimeEngine()
        let path = "/nonexistent/models/absent.onnx"
        await #expect(throws: OnnxRuntimeError.fileNotFound(model: "absent", path: path)) {
            try await engine.load(EngineFixtures.context(name: "absent", path: path))
        }
        #expect(await engine.healthCheck() == .unhealthy(reason: "no model loaded"))
    }

    @Test func load_directory_throwsFileNotFound() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        await #expect(throws: OnnxRuntimeError.fileNotFound(model: "dir", path: directory.path)) {
            try await OnnxRuntimeEngine().load(EngineFixtures.context(name: "dir", path: directory.path))
        }
    }

    @Test func load_truncatedModel_throwsInvalidModelWithOrtMessage() async throws {
        let full = try Data(contentsOf: URL(fileURLWithPath: try EngineFixtures.path(EngineFixtures.iris)))
        let error = try await loadError(writing: full.prefix(full.count / 2))
        expectInvalidModel(error)
    }

    @Test func load_randomBytes_throwsInvalidModel() async throws {
        var generator = SplitMix64(seed: 0x5EED)
        let bytes = Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        expectInvalidModel(try await loadError(writing: bytes))
    }

    @Test func load_textFileNamedOnnx_throwsInvalidModel() async throws {
        let text = Data("This is a README, not a model.\nname: iris\nlayers: 3\n".utf8)
        expectInvalidModel(try await loadError(writing: text))
    }

    @Test func load_ggufFileNamedOnnx_throwsInvalidModel() async throws {
        // A GGUF v3 file: magic, version, tensor count, metadata count, then general.architecture = "llama".
        var gguf = Data("GGUF".utf8)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { gguf.append(contentsOf: $0) }
        }
        func append(string: String) {
            append(UInt64(string.utf8.count))
            gguf.append(contentsOf: Array(string.utf8))
        }
        append(UInt32(3))
        append(UInt64(0))
        append(UInt64(1))
        append(string: "general.architecture")
        append(UInt32(8))  // GGUF value type: string
        append(string: "llama")
        expectInvalidModel(try await loadError(writing: gguf))
    }

    @Test func load_emptyFile_throwsInvalidModel() async throws {
        expectInvalidModel(try await loadError(writing: Data()))
    }
}

/// A small deterministic random number generator, so "random" files are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
