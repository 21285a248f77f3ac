import ExampleSupport
import Foundation
import ModelPreflight
import ModelRegistry
import ModelRegistryTestSupport
import OnnxRuntimeEngine
import Testing

/// ONNX Runtime 1.23.2 segfaults while it creates a session for a model whose sparse initializer has indices outside
/// its dense shape (onnxruntime issue #19681). Such files are preflighted in the `model-preflight` child.
@Suite(.timeLimit(.minutes(2))) struct OnnxPreflightTests {
    /// Writes `y = x + w` with `w` a sparse initializer; `indices` are its element positions in the 1×4 dense shape.
    private func writeSparseModel(to url: URL, indices: [Int]) async throws {
        let script = """
            import onnx, sys
            from onnx import helper as h, TensorProto as T
            values = h.make_tensor("w_values", T.FLOAT, [2], [1.0, 2.0])
            indices = h.make_tensor("w_indices", T.INT64, [2], [int(i) for i in sys.argv[2].split(",")])
            sparse = onnx.SparseTensorProto(values=values, indices=indices, dims=[1, 4])
            x = h.make_tensor_value_info("x", T.FLOAT, [1, 4]); y = h.make_tensor_value_info("y", T.FLOAT, [1, 4])
            g = h.make_graph([h.make_node("Add", ["x", "w_values"], ["y"])], "g", [x], [y], sparse_initializer=[sparse])
            onnx.save(h.make_model(g, opset_imports=[h.make_opsetid("", 17)], ir_version=8), sys.argv[1])
            """
        let run = try await ChildProcess.run(
            NativeFixtures.python, ["-c", script, url.path, indices.map(String.init).joined(separator: ",")])
        try #require(run.succeeded, "writing the sparse ONNX model failed: \(run.stderr)")
    }

    /// Writes `y = AddW(x)` where `AddW` is a model-local function whose body adds a `Constant` with a sparse
    /// `sparse_value` (1×4, values at `indices`): the sparse tensor is nowhere in the main graph.
    private func writeFunctionWithSparseConstant(to url: URL, indices: [Int]) async throws {
        let script = """
            import onnx, sys
            from onnx import helper as h, TensorProto as T
            values = h.make_tensor("w_values", T.FLOAT, [2], [1.0, 2.0])
            indices = h.make_tensor("w_indices", T.INT64, [2], [int(i) for i in sys.argv[2].split(",")])
            sparse = onnx.SparseTensorProto(values=values, indices=indices, dims=[1, 4])
            body = [h.make_node("Constant", [], ["w"], sparse_value=sparse), h.make_node("Add", ["a", "w"], ["b"])]
            f = h.make_function("local", "AddW", ["a"], ["b"], body, [h.make_opsetid("", 17)])
            x = h.make_tensor_value_info("x", T.FLOAT, [1, 4]); y = h.make_tensor_value_info("y", T.FLOAT, [1, 4])
            g = h.make_graph([h.make_node("AddW", ["x"], ["y"], domain="local")], "g", [x], [y])
            opsets = [h.make_opsetid("", 17), h.make_opsetid("local", 1)]
            onnx.save(h.make_model(g, opset_imports=opsets, ir_version=8, functions=[f]), sys.argv[1])
            """
        let run = try await ChildProcess.run(
            NativeFixtures.python, ["-c", script, url.path, indices.map(String.init).joined(separator: ",")])
        try #require(run.succeeded, "writing the ONNX model with a function failed: \(run.stderr)")
    }

    private func load(_ url: URL, cache: URL) async throws(OnnxRuntimeError) {
        let configuration = ModelConfiguration(
            name: "sparse", engine: .onnxruntime, modelType: .tensor, path: url.path, threads: 1,
            parameters: ["preflightCache": cache.path])
        let engine = OnnxRuntimeEngine()
        try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
        await engine.unload()
    }

    /// Where a test model keeps its sparse tensor.
    enum SparsePlacement: String, CaseIterable, Sendable {
        /// A graph initializer.
        case initializer
        /// A `Constant` node inside a model-local function: onnxruntime's own Python API dies of SIGSEGV on an
        /// out-of-range one too, and before the scan read such functions the engine loaded it in the host, which
        /// crashed.
        case constantInAModelLocalFunction
    }

    private func write(_ placement: SparsePlacement, to url: URL, indices: [Int]) async throws {
        switch placement {
        case .initializer: try await writeSparseModel(to: url, indices: indices)
        case .constantInAModelLocalFunction: try await writeFunctionWithSparseConstant(to: url, indices: indices)
        }
    }

    /// A fresh folder holding one model of `placement` whose sparse tensor has `indices`; the caller removes it.
    private func scratchModel(_ placement: SparsePlacement, indices: [Int]) async throws -> (folder: URL, model: URL) {
        let folder = try NativeFixtures.temporaryDirectory()
        let model = folder.appendingPathComponent("\(placement.rawValue)-sparse.onnx")
        do {
            try await write(placement, to: model, indices: indices)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        return (folder, model)
    }

    @Test(arguments: SparsePlacement.allCases)
    func sparseTensorWithOutOfRangeIndices_failsTheLoadInsteadOfCrashing(placement: SparsePlacement) async throws {
        let (folder, url) = try await scratchModel(placement, indices: [100_000, -7])
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try await #require(throws: OnnxRuntimeError.self) {
            try await load(url, cache: folder.appendingPathComponent("verdicts"))
        }
        guard case .invalidModel(_, let path, let status) = error else { Issue.record("unexpected \(error)"); return }
        #expect(path == url.path)
        #expect(status.message.contains("crashed the preflight process") && status.message.contains("SIGSEGV"))
    }

    @Test func validSparseInitializer_isPreflightedOnce_thenLoads() async throws {
        let (folder, url) = try await scratchModel(.initializer, indices: [0, 3])
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent("verdicts")
        try await load(url, cache: cache)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).count == 1)
    }

    /// A pass holds for the settings the child loaded the file with: other threads or engine parameters are checked
    /// again, the same settings are not.
    @Test func verdict_holdsForTheLoadSettingsItWasFoundWith() async throws {
        let (folder, url) = try await scratchModel(.initializer, indices: [0, 3])
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent("verdicts")
        func load(threads: Int, parameters: [String: String] = [:]) async throws -> Int {
            let configuration = ModelConfiguration(
                name: "sparse", engine: .onnxruntime, modelType: .tensor, path: url.path, threads: threads,
                parameters: parameters.merging(["preflightCache": cache.path]) { given, _ in given })
            let engine = OnnxRuntimeEngine()
            try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
            await engine.unload()
            return try FileManager.default.contentsOfDirectory(atPath: cache.path).count
        }
        #expect(try await load(threads: 1) == 1)
        #expect(try await load(threads: 2) == 2)
        #expect(try await load(threads: 1, parameters: ["graphOptimization": "basic"]) == 3)
        #expect(try await load(threads: 1) == 3)
        #expect(try await load(threads: 2) == 3)
    }

    @Test func symlinkToSparseInitializerWithOutOfRangeIndices_isPreflighted_andFailsTheLoadInsteadOfCrashing() async throws {
        let (folder, url) = try await scratchModel(.initializer, indices: [100_000, -7])
        defer { try? FileManager.default.removeItem(at: folder) }
        // how a Hugging Face cache stores files: snapshots/<revision>/model.onnx -> ../../blobs/<hash>
        let link = folder.appendingPathComponent("link.onnx")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: url)
        let error = try await #require(throws: OnnxRuntimeError.self) {
            try await load(link, cache: folder.appendingPathComponent("verdicts"))
        }
        guard case .invalidModel(_, _, let status) = error else { Issue.record("unexpected \(error)"); return }
        #expect(status.message.contains("crashed the preflight process") && status.message.contains("SIGSEGV"))
    }

    @Test func symlinkToValidSparseModel_isPreflightedOnce_thenLoads() async throws {
        let (folder, url) = try await scratchModel(.initializer, indices: [0, 3])
        defer { try? FileManager.default.removeItem(at: folder) }
        let link = folder.appendingPathComponent("link.onnx")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: url)
        let cache = folder.appendingPathComponent("verdicts")
        try await load(link, cache: cache)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).count == 1)
        try await load(url, cache: cache)  // the verdict is the target's
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).count == 1)
    }

    @Test func validSparseConstantInAModelLocalFunction_isPreflightedOnce_thenRuns() async throws {
        let (folder, url) = try await scratchModel(.constantInAModelLocalFunction, indices: [0, 3])
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent("verdicts")
        let configuration = ModelConfiguration(
            name: "function", engine: .onnxruntime, modelType: .tensor, path: url.path, threads: 1,
            parameters: ["preflightCache": cache.path])
        let engine = OnnxRuntimeEngine()
        try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
        let outputs = try await engine.run(["x": Tensor(shape: [1, 4], floats: [1, 1, 1, 1])])
        await engine.unload()
        #expect(outputs["y"]?.tensor?.floats == [2, 1, 1, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).count == 1)
    }

    /// A host that configured a shared pool in code (``OnnxRuntime/configureSharedThreadPool(_:)``) loads a model with
    /// `threadPool: shared`; the child, which has no such pool, checks the file all the same instead of refusing the
    /// setting before it opens the file (a refusal the host takes for the engine's own error, and loads the file).
    @Test func child_checksAFileConfiguredForTheHostsSharedPool() async throws {
        let (folder, url) = try await scratchModel(.initializer, indices: [0, 3])
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = ModelConfiguration(
            name: "shared", engine: .onnxruntime, modelType: .tensor, path: url.path, threads: 1,
            parameters: ["threadPool": "shared"])
        let child = try PreflightExecutable.locate(model: "shared", explicit: nil)
        let json = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: OnnxSharedThreadPool.environmentVariable)
        let run = try await ChildProcess.run(
            URL(fileURLWithPath: child), ["--configuration", json], environment: environment, timeout: .seconds(60))
        #expect(run.succeeded, "the child refused: \(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("pass 0"))
    }

    /// The file at the path is replaced while the child checks it (a snapshot updated during a load; here the
    /// stand-in child does it and passes): no pass is recorded for the file that was there, which nobody checked,
    /// and the load fails instead of opening the new one unchecked.
    @Test func fileReplacedWhileTheChildRuns_recordsNoPass_andFailsTheLoad() async throws {
        let folder = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.onnx")
        let replacement = folder.appendingPathComponent("replacement.onnx")
        try FileManager.default.copyItem(at: NativeFixtures.model("mul_1.onnx"), to: model)
        try FileManager.default.copyItem(at: NativeFixtures.model("sigmoid.onnx"), to: replacement)
        let child = folder.appendingPathComponent("replacing-preflight")
        try "#!/bin/sh\nmv '\(replacement.path)' '\(model.path)'\n".write(to: child, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: child.path)
        let cache = folder.appendingPathComponent("verdicts")
        let configuration = ModelConfiguration(
            name: "replaced", engine: .onnxruntime, modelType: .tensor, path: model.path, threads: 1,
            parameters: ["preflight": "always", "preflightCache": cache.path, "preflightExecutable": child.path])
        let engine = OnnxRuntimeEngine()
        let error = try await #require(throws: OnnxRuntimeError.self) {
            try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
        }
        #expect("\(error)".contains("was replaced or re-pointed after its preflight"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: replacement.path), "the child ran")
        let verdicts = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
        #expect(verdicts.isEmpty, "a pass was recorded for the file the child never checked")
    }

    /// The child's engine refuses a file the host's own checks accept (here a stand-in child that refuses `mul_1`,
    /// as a child whose ORT saw the file or a setting differently would): the host does not open it, and the
    /// load fails with the child's message instead.
    @Test func fileTheChildRefused_isNotOpenedInTheHost() async throws {
        let folder = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let child = folder.appendingPathComponent("refusing-preflight")
        try "#!/bin/sh\necho 'begin 0'\necho 'refused 0 the stand-in ORT refused it'\nexit 3\n"
            .write(to: child, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: child.path)
        let cache = folder.appendingPathComponent("verdicts")
        let configuration = ModelConfiguration(
            name: "refused", engine: .onnxruntime, modelType: .tensor, path: NativeFixtures.model("mul_1.onnx").path,
            threads: 1,
            parameters: ["preflight": "always", "preflightCache": cache.path, "preflightExecutable": child.path])
        let engine = OnnxRuntimeEngine()
        let error = try await #require(throws: OnnxRuntimeError.self) {
            try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
        }
        guard case .native(_, "preflight", let status) = error else {
            Issue.record("expected the preflight's refusal, got \(error)")
            return
        }
        #expect(status.message.contains("was not opened in this process: the stand-in ORT refused it"), "\(error)")
        await #expect(throws: OnnxRuntimeError.self) { _ = try await engine.run(["X": Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])]) }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).isEmpty)
    }

    /// A file the child's ORT refuses keeps the typed error an in-process open gives, rebuilt from the status the
    /// child reported: a text file named `.onnx`, checked by the real child in `always` mode, is an invalid model.
    @Test func fileBothRefuse_failsWithTheEnginesOwnError() async throws {
        let folder = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("notes.onnx")
        try "not a model".write(to: model, atomically: true, encoding: .utf8)
        let configuration = ModelConfiguration(
            name: "text", engine: .onnxruntime, modelType: .tensor, path: model.path, threads: 1,
            parameters: ["preflight": "always", "preflightCache": folder.appendingPathComponent("verdicts").path])
        let engine = OnnxRuntimeEngine()
        let error = try await #require(throws: OnnxRuntimeError.self) {
            try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
        }
        guard case .invalidModel(let name, let path, let status) = error else {
            Issue.record("expected ORT's refusal as an invalid model, got \(error)")
            return
        }
        #expect(name == "text" && path == model.path)
        #expect(status.code == .invalidProtobuf, "\(error)")
    }

    @Test func denseModel_loadsWithoutAChild() async throws {
        let folder = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent("verdicts")
        try await load(NativeFixtures.model("mul_1.onnx"), cache: cache)
        #expect(!FileManager.default.fileExists(atPath: cache.path))
    }
}
