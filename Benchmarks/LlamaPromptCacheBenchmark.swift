import Foundation
import LlamaEngine
import ModelRegistry
import ModelRegistryEngines

/// llama.cpp serving costs that have no reference tool, as ratios measured in the same run:
/// - time to the first token of a prompt that shares 90% of its tokens with the previous request (served from the
///   prompt cache), against the same prompt cold (cache cleared); runs alternate between the two;
/// - embeddings: 16 inputs in one `embed([String])` call (batched into as few decodes as possible) against 16
///   `embed(String)` calls, alternating.
struct LlamaPromptCacheBenchmark {
    let model: URL
    let embeddingModel: URL
    let promptTokens: Int
    let threads: Int
    let runs: Int

    func run() async throws -> [Measurement] {
        Progress.say("llama.cpp: time to first token with a 90%-shared prefix vs cold, \(runs) runs; 16 embeddings")
        let registry = ModelRegistry(factory: .builtIn, models: [
            ModelConfiguration(
                name: "bench-cache", engine: .llamacpp, modelType: .llm, path: model.path,
                contextLength: promptTokens + 64, threads: threads, parallel: 2),
            ModelConfiguration(
                name: "bench-embed", engine: .llamacpp, modelType: .embedding, path: embeddingModel.path,
                contextLength: 1024, threads: threads, batchSize: 1024),
        ])
        do {
            let results = try await measureCache(registry) + measureEmbeddings(registry)
            await registry.shutdown()
            return results
        } catch {
            await registry.shutdown()
            throw error
        }
    }

    private func measureCache(_ registry: ModelRegistry) async throws -> [Measurement] {
        try await registry.withModel("bench-cache", as: LlamaEngine.self) { engine in try await measureCache(engine) }
    }

    private func measureCache(_ engine: LlamaEngine) async throws -> [Measurement] {
        let shared = try await LlamaPrompt.make(tokens: promptTokens * 9 / 10, engine: engine)
        let tailWords = promptTokens - shared.tokens
        func tail(_ words: [String]) -> String { (0..<tailWords).map { " " + words[$0 % words.count] }.joined() }
        let previous = shared.text + tail(["water", "moon", "star", "tree", "red", "green", "blue"])
        let current = shared.text + tail(["hello", "world", "model", "token", "text", "engine", "swift"])
        let currentTokens = try await engine.tokenize(current, addSpecial: true).count
        var cold: [Double] = []
        var warm: [Double] = []
        var cachedShare: [Double] = []
        _ = try await firstToken(engine, current)
        for _ in 0..<runs {
            try await engine.clearPromptCache()
            cold.append(try await firstToken(engine, current).seconds * 1000)
            try await engine.clearPromptCache()
            _ = try await firstToken(engine, previous)
            let timing = try await firstToken(engine, current)
            warm.append(timing.seconds * 1000)
            cachedShare.append(Double(timing.cached) / Double(currentTokens))
        }
        let share = Int((Statistics.median(cachedShare) * 100).rounded())
        return [
            Measurement(
                "llama.cpp serving", "time to first token, \(currentTokens)-token prompt, \(share)% cached (ours)",
                runs: warm, unit: "ms", higherIsBetter: false, comparison: ("same prompt cold", cold),
                note: "ratio = warm / cold time to the first token (target ≤ 0.2)"),
        ]
    }

    private func firstToken(_ engine: LlamaEngine, _ prompt: String) async throws -> (seconds: Double, cached: Int) {
        let clock = ContinuousClock()
        let start = clock.now
        var first: Double?
        var cached = 0
        for try await piece in engine.generate(prompt: prompt, options: .init(maxTokens: 2)) {
            if first == nil, piece.token != nil { first = Statistics.seconds(clock.now - start) }
            if let usage = piece.usage { cached = usage.cachedTokens }
        }
        return (first ?? 0, cached)
    }

    private func measureEmbeddings(_ registry: ModelRegistry) async throws -> [Measurement] {
        try await registry.withModel("bench-embed", as: LlamaEngine.self) { engine in try await measureEmbeddings(engine) }
    }

    private func measureEmbeddings(_ engine: LlamaEngine) async throws -> [Measurement] {
        let texts = (0..<16).map { "the cat and the dog sat in the sun by the red tree, input number \($0)" }
        _ = try await engine.embed(texts)
        var batched: [Double] = []
        var single: [Double] = []
        for _ in 0..<runs {
            let together = try await Statistics.time { _ = try await engine.embed(texts) }
            batched.append(Double(texts.count) / together)
            let apart = try await Statistics.time { for text in texts { _ = try await engine.embed(text) } }
            single.append(Double(texts.count) / apart)
        }
        return [
            Measurement(
                "llama.cpp serving", "16 embeddings in one embed call (\(embeddingModel.lastPathComponent))",
                runs: batched, unit: "inputs/s", higherIsBetter: true, comparison: ("16 embed calls", single),
                note: "ratio = one batched call / 16 single calls, inputs per second"),
        ]
    }
}

/// The llama.cpp serving benchmarks of one plan: concurrency vs llama-batched-bench, prompt cache, batched embeddings.
struct LlamaServingBenchmarks {
    let plan: BenchmarkPlan
    let model: URL

    func run() async throws -> [Measurement] {
        let files = plan.files
        var results = try await LlamaConcurrencyBenchmark(
            model: model, files: files, promptTokens: 32, generatedTokens: plan.quick ? 16 : 64, threads: plan.threads,
            runs: plan.runs
        ).run()
        let embedding = plan.quick ? files.fixture("tiny-embed.gguf") : try await files.benchEmbeddingGGUF(millions: 20)
        results += try await LlamaPromptCacheBenchmark(
            model: model, embeddingModel: embedding, promptTokens: plan.quick ? 100 : 400, threads: plan.threads,
            runs: plan.runs
        ).run()
        return results
    }
}

extension BenchFiles {
    /// An embedding GGUF (mean pooling) of about `millions` million random parameters, written once.
    func benchEmbeddingGGUF(millions: Int) async throws -> URL {
        let file = models.appendingPathComponent("bench-embed-\(millions)m.gguf")
        guard !FileManager.default.fileExists(atPath: file.path) else { return file }
        Progress.say("generating \(file.lastPathComponent) (once; cached in \(models.path))")
        let temporary = models.appendingPathComponent(".\(file.lastPathComponent).\(getpid())")
        defer { try? FileManager.default.removeItem(at: temporary) }
        _ = try await Subprocess.run(python, [
            packageRoot.appendingPathComponent("Scripts/make_tiny_gguf.py").path, "--out", temporary.path,
            "--embedding", "--params-millions", "\(millions)",
        ])
        try FileManager.default.moveItem(at: temporary, to: file)
        return file
    }
}
