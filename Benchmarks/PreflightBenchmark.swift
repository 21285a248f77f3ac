import Foundation
import LlamaEngine
import ModelPreflight
import ModelRegistry

/// The cost of the isolated preflight on a llama.cpp load: `LlamaEngine.load` + `unload` with `preflight = never`
/// (the reference), `always` (a `model-preflight` child loads the file and decodes one token first, every time), and
/// `auto` with the verdict already cached (what every load after the first costs; target: within 5% of `never`).
/// Runs alternate between the three (in a rotating order) so they see the same machine load; each figure is a
/// median. Because a load's time swings by more than 5% on a busy machine, the cached check is also timed alone.
struct PreflightBenchmark {
    let model: URL
    let threads: Int
    let runs: Int

    func run() async throws -> [Measurement] {
        let runs = max(self.runs * 3, 9)
        Progress.say("preflight: load + unload of \(model.lastPathComponent), preflight never/always/cached, \(runs) runs")
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let modes = ["never", "always", "auto"]
        _ = try await loadTime(mode: "auto", cache: cache)  // warm-up (page cache), and the verdict auto then finds
        var times: [String: [Double]] = [:]
        for run in 0..<runs {
            for index in modes.indices {
                let mode = modes[(index + run) % modes.count]
                times[mode, default: []].append(try await loadTime(mode: mode, cache: cache))
            }
        }
        let checks = try await cachedCheckMicroseconds(cache: cache)
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
            Measurement(
                "preflight", "the cached-verdict check alone (what auto adds to a load)", runs: checks, unit: "µs/load",
                higherIsBetter: false,
                note: "Preflight.check with a cached pass: parameters, stat of the file, one verdict lookup"),
        ]
    }

    /// The time of `Preflight.check` when the verdict is cached, per call, over 1,000 calls per run.
    private func cachedCheckMicroseconds(cache: URL) async throws -> [Double] {
        let context = EngineLoadContext(modelID: ModelID(), configuration: configuration(mode: "auto", cache: cache))
        var runs: [Double] = []
        for _ in 0..<5 {
            let seconds = try await Statistics.time {
                for _ in 0..<1_000 { try await Preflight.check(context) { _ in true } }
            }
            runs.append(seconds * 1_000)  // the seconds of 1,000 calls × 1,000 = µs per call
        }
        return runs
    }

    private func configuration(mode: String, cache: URL) -> ModelConfiguration {
        ModelConfiguration(
            name: "bench-preflight", engine: .llamacpp, modelType: .llm, path: model.path, contextLength: 256,
            threads: threads, parameters: ["preflight": mode, "preflightCache": cache.path])
    }

    private func loadTime(mode: String, cache: URL) async throws -> Double {
        let configuration = configuration(mode: mode, cache: cache)
        let engine = LlamaEngine()
        let context = EngineLoadContext(modelID: ModelID(), configuration: configuration)
        return try await Statistics.time {
            try await engine.load(context)
            await engine.unload()
        } * 1_000
    }
}
