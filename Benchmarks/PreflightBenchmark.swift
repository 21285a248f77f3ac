import Foundation
import LlamaEngine
import ModelRegistry

/// The cost of the isolated preflight on a llama.cpp load: `LlamaEngine.load` + `unload` with `preflight = never`
/// (the reference), `always` (a `model-preflight` child loads the file and decodes one token first, every time), and
/// `auto` with the verdict already cached (what every load after the first costs; target: within 5% of `never`).
/// Runs alternate between the three so they see the same machine load; each figure is a median.
struct PreflightBenchmark {
    let model: URL
    let threads: Int
    let runs: Int

    func run() async throws -> [Measurement] {
        Progress.say("preflight: load + unload of \(model.lastPathComponent) with preflight never/always/cached, \(runs) runs")
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let modes = ["never", "always", "auto"]
        _ = try await loadTime(mode: "auto", cache: cache)  // warm-up (page cache), and the verdict auto then finds
        var times: [String: [Double]] = [:]
        for _ in 0..<runs {
            for mode in modes { times[mode, default: []].append(try await loadTime(mode: mode, cache: cache)) }
        }
        let reference = ("preflight = never", times["never"] ?? [])
        let setting = "\(model.lastPathComponent), \(threads) thread\(threads == 1 ? "" : "s")"
        return [
            Measurement(
                "preflight", "load + unload, preflight = never (\(setting))", runs: times["never"] ?? [], unit: "ms",
                higherIsBetter: false),
            Measurement(
                "preflight", "load + unload, preflight = always: child loads + decodes 1 token", runs: times["always"] ?? [],
                unit: "ms", higherIsBetter: false, comparison: reference),
            Measurement(
                "preflight", "load + unload, preflight = auto, verdict cached", runs: times["auto"] ?? [], unit: "ms",
                higherIsBetter: false, comparison: reference, note: "target: cached verdict within 5% of preflight = never"),
        ]
    }

    private func loadTime(mode: String, cache: URL) async throws -> Double {
        let configuration = ModelConfiguration(
            name: "bench-preflight", engine: .llamacpp, modelType: .llm, path: model.path, contextLength: 256,
            threads: threads, parameters: ["preflight": mode, "preflightCache": cache.path])
        let engine = LlamaEngine()
        let context = EngineLoadContext(modelID: ModelID(), configuration: configuration)
        return try await Statistics.time {
            try await engine.load(context)
            await engine.unload()
        } * 1_000
    }
}
