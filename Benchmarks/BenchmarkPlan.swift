import Foundation
import ModelRegistry

/// What one run measures, with the sizes for `--quick` and for a full run.
struct BenchmarkPlan {
    let quick: Bool
    let runs: Int
    let threads: Int
    let cycles: Int
    let sections: Set<Section>
    let files: BenchFiles

    /// A part of the run that can be chosen on the command line (`Benchmarks onnx http`); all by default.
    enum Section: String, CaseIterable, Hashable {
        /// RSS over load/unload cycles.
        case memory
        /// The registry's own costs (lookups, events).
        case registry
        /// ONNX Runtime: per-call time against Python and the C loop, and the shared thread pools.
        case onnx
        /// The HTTP server over loopback.
        case http
        /// llama.cpp: generation against llama-bench, serving, the prompt cache.
        case llama
        /// The isolated preflight.
        case preflight
    }

    /// llama.cpp: parameters (millions) of the generated GGUF in a full run; `--quick` uses tiny-llama.gguf.
    static let benchParametersMillions = 100

    init(quick: Bool, runs: Int, threads: Int, cycles: Int, sections: Set<Section> = Set(Section.allCases)) throws {
        self.quick = quick
        self.runs = runs
        self.threads = threads
        self.cycles = cycles
        self.sections = sections
        files = try BenchFiles()
    }

    var promptTokens: Int { quick ? 32 : 128 }
    var generatedTokens: Int { quick ? 16 : 64 }
    var onnxThreads: Int { 1 }

    /// The settings, for the JSON report.
    var settings: [String: String] {
        [
            "llama.model": quick ? "tiny-llama.gguf" : "bench-\(Self.benchParametersMillions)m.gguf",
            "llama.promptTokens": "\(promptTokens)", "llama.generatedTokens": "\(generatedTokens)",
            "llama.threads": "\(threads)", "onnx.threads": "\(onnxThreads)",
            "onnx.mlp": "batch 32, 256 → 3 × 512 → 10",
            "sections": Section.allCases.filter(sections.contains).map(\.rawValue).joined(separator: ","),
        ]
    }

    func run() async throws -> [Measurement] {
        var results: [Measurement] = []
        if sections.contains(.memory) {
            results += try await MemoryBenchmark(models: [
                ("tiny-llama.gguf", ModelConfiguration(
                    name: "tiny", engine: .llamacpp, modelType: .llm, path: files.fixture("tiny-llama.gguf").path,
                    contextLength: 256, threads: 1)),
                ("logreg_iris.onnx", ModelConfiguration(
                    name: "iris", engine: .onnxruntime, modelType: .classifier,
                    path: files.fixture("logreg_iris.onnx").path, threads: 1)),
            ], cycles: cycles).run()
        }
        if sections.contains(.registry) {
            results += try await RegistryBenchmark(
                model: files.fixture("logreg_iris.onnx"), runs: runs, lookups: quick ? 40_000 : 400_000,
                events: quick ? 200 : 2_000
            ).run()
        }
        if sections.contains(.onnx) {
            let mlp = try await files.benchMLP(batch: 32, inputs: 256, hidden: 512, layers: 3)
            results += try await OnnxBenchmark(files: files, cases: [
                .init(label: "logreg_iris [3, 2]", model: files.fixture("logreg_iris.onnx"), shape: [3, 2],
                      calls: quick ? 500 : 5_000),
                // ORT's ZipMap read through the C API, as before the engine built it in Swift
                .init(label: "logreg_iris [3, 2], zipMap onnxruntime", model: files.fixture("logreg_iris.onnx"),
                      shape: [3, 2], calls: quick ? 500 : 5_000, parameters: ["zipMap": "onnxruntime"]),
                .init(label: "logreg_iris [3, 2], label only", model: files.fixture("logreg_iris.onnx"),
                      shape: [3, 2], calls: quick ? 500 : 5_000, outputs: ["label"]),
                .init(label: "MLP [32, 256] → 3 × 512 → 10", model: mlp, shape: [32, 256], calls: quick ? 50 : 500),
                // the same runs on the native queue instead of the calling thread: what the hop costs (see
                // README, "The MLP and the native queue")
                .init(label: "MLP [32, 256] → 3 × 512 → 10, native queue (inlineRunMicroseconds 0)", model: mlp,
                      shape: [32, 256], calls: quick ? 50 : 500, parameters: ["inlineRunMicroseconds": "0"]),
            ], threads: onnxThreads, runs: runs).run()
            results += try await OnnxPoolBenchmark(
                model: files.fixture("logreg_iris.onnx"), models: 10, threads: 2, runs: quick ? 1 : 3
            ).run()
        }
        if sections.contains(.http) {
            results += try await HTTPBenchmark(files: files, runs: runs, requests: quick ? 300 : 3_000).run()
        }
        guard sections.contains(.llama) || sections.contains(.preflight) else { return results }
        let gguf = quick
            ? files.fixture("tiny-llama.gguf") : try await files.benchGGUF(millions: Self.benchParametersMillions)
        if sections.contains(.llama) {
            results += try await LlamaBenchmark(
                model: gguf, files: files, promptTokens: promptTokens, generatedTokens: generatedTokens,
                threads: threads, runs: runs
            ).run()
            results += try await LlamaServingBenchmarks(plan: self, model: gguf).run()
        }
        if sections.contains(.preflight) {
            results += try await PreflightBenchmark(model: gguf, threads: threads, runs: runs).run()
        }
        return results
    }
}
