import Foundation
import OnnxRuntimeEngine
import Testing

/// Load failures say what kind of failure they are, so the advice fits: a graph ORT cannot run is not a corrupt
/// file, a missing weights file is not a bad model, a missing execution provider is named with what the build has.
/// The models come from `Scripts/make_onnx_test_models.py`; onnxruntime's Python API fails on the same files.
@Suite(.timeLimit(.minutes(2))) struct LoadFailureKindTests {
    private func loadError(_ file: String, parameters: [String: String] = [:]) async throws -> OnnxRuntimeError {
        try await #require(throws: OnnxRuntimeError.self) {
            _ = try await GeneratedModels.loaded(file, name: "m", parameters: parameters)
        }
    }

    @Test func operatorWithoutKernel_isUnsupportedGraph_withNotImplemented() async throws {
        let error = try await loadError("add_bfloat16.onnx")
        guard case .unsupportedGraph(let model, let path, let status) = error else {
            Issue.record("expected unsupportedGraph, got \(error)")
            return
        }
        #expect(model == "m")
        #expect(path.hasSuffix("add_bfloat16.onnx"))
        #expect(status.code == .notImplemented)
        #expect(status.message.contains("Add"))
        #expect(error.description.contains("re-export the model with an opset"))
    }

    @Test func opsetNewerThanTheLibrary_isUnsupportedGraph() async throws {
        let error = try await loadError("opset_too_new.onnx")
        guard case .unsupportedGraph(_, _, let status) = error else {
            Issue.record("expected unsupportedGraph, got \(error)")
            return
        }
        #expect(status.message.contains("opset"))
    }

    @Test func missingExternalDataFile_namesTheFile() async throws {
        let error = try await loadError("missing_external_data.onnx")
        guard case .missingExternalData(_, let path, let file, _) = error else {
            Issue.record("expected missingExternalData, got \(error)")
            return
        }
        #expect(path.hasSuffix("missing_external_data.onnx"))
        #expect(file?.hasSuffix("missing.weights") == true)
        #expect(error.description.contains("external-data file"))
    }

    @Test func executionProviderNotInThisBuild_listsTheAvailableOnes() async throws {
        let error = try await loadError("types/float.onnx", parameters: ["executionProviders": "CUDAExecutionProvider"])
        let available = try OnnxRuntime.availableProviders()
        #expect(error == .executionProviderUnavailable(model: "m", provider: "CUDAExecutionProvider", available: available))
        #expect(error.description.contains("CPUExecutionProvider"))
    }

    @Test func cpuExecutionProvider_loads() async throws {
        let engine = try await GeneratedModels.loaded(
            "types/float.onnx", name: "cpu", parameters: ["executionProviders": "CPUExecutionProvider"])
        #expect(engine.isLoaded)
    }

    @Test func sharedThreadPoolWithoutOne_isAnInvalidParameter() async throws {
        try #require(OnnxRuntime.sharedThreadPool == nil)
        let error = try await loadError("types/float.onnx", parameters: ["threadPool": "shared"])
        guard case .invalidParameter(_, let name, _, let allowed) = error else {
            Issue.record("expected invalidParameter, got \(error)")
            return
        }
        #expect(name == "threadPool")
        #expect(allowed.contains("configureSharedThreadPool"))
    }
}
