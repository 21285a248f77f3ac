import Foundation
import LlamaEngine
import ModelRegistry
import ModelRegistryEngines

/// llama.cpp serving: aggregate generation speed with 1, 2, 4 and 8 concurrent requests through the registry, side
/// by side with `llama-batched-bench` on the same GGUF, threads, prompt and generation lengths and sequence layout
/// (8 sequences, each with its own KV cells of the same size), alternating runs.
///
/// Ours: `n` greedy `generate` streams started together (the prompt cache cleared first, so every prompt is decoded
/// in full); the figure is the tokens all streams received while every one of them was generating, divided by that
/// window (from the last stream's first token to the first stream's last token): the steady state where each
/// scheduling step decodes one token of each of the `n` sequences. llama-batched-bench's `speed_tg` is the same
/// phase measured on bare `llama_decode` calls (`pl × tg / t_tg`, no sampling, no streams).
struct LlamaConcurrencyBenchmark {
    let model: URL
    let files: BenchFiles
    let promptTokens: Int
    let generatedTokens: Int
    let threads: Int
    let runs: Int
    let counts = [1, 2, 4, 8]

    func run() async throws -> [Measurement] {
        Progress.say("llama.cpp: \(counts.map(String.init).joined(separator: "/")) concurrent requests vs "
            + "llama-batched-bench, alternating, \(runs) runs")
        let perSequence = promptTokens + generatedTokens + 16
        let registry = ModelRegistry(factory: .builtIn, models: [
            ModelConfiguration(
                name: "bench-serving", engine: .llamacpp, modelType: .llm, path: model.path,
                contextLength: perSequence, threads: threads, batchSize: 512, parallel: counts.max() ?? 8)
        ])
        var ours: [Int: [Double]] = [:]
        var theirs: [Int: [Double]] = [:]
        var referenceFailed = false
        do {
            let lease = try await registry.get("bench-serving")
            do {
                let engine = try lease.engine(as: LlamaEngine.self)
                let prompt = try await LlamaPrompt.make(tokens: promptTokens, engine: engine)
                let sequenceCells = engine.contextLength ?? perSequence
                _ = try await aggregateRate(engine, prompt: prompt.text, count: 2)  // warm-up
                for _ in 0..<runs {
                    for count in counts {
                        ours[count, default: []].append(try await aggregateRate(engine, prompt: prompt.text, count: count))
                    }
                    guard !referenceFailed else { continue }
                    do {
                        for (count, rate) in try await batchedBench(
                            promptTokens: prompt.tokens, contextLength: sequenceCells * (counts.max() ?? 8))
                        {
                            theirs[count, default: []].append(rate)
                        }
                    } catch {
                        Progress.say("llama-batched-bench failed, no reference figures: \(error)")
                        referenceFailed = true
                        theirs = [:]
                    }
                }
            } catch {
                await lease.release()
                throw error
            }
            await lease.release()
        } catch {
            await registry.shutdown()
            throw error
        }
        await registry.shutdown()
        let setting = "\(model.lastPathComponent), \(threads) thread\(threads == 1 ? "" : "s"), pp\(promptTokens) tg\(generatedTokens)"
        return counts.map { count in
            Measurement(
                "llama.cpp serving", "\(count) concurrent request\(count == 1 ? "" : "s"): aggregate generation (\(setting))",
                runs: ours[count] ?? [], unit: "tokens/s", higherIsBetter: true,
                comparison: theirs[count].map { ("llama-batched-bench", $0) },
                note: count == 1 ? "ours: tokens of all streams while all generate / that window; theirs: speed_tg" : nil)
        }
    }

    /// Starts `count` greedy streams at once and measures their steady-state aggregate rate.
    private func aggregateRate(_ engine: LlamaEngine, prompt: String, count: Int) async throws -> Double {
        try await engine.clearPromptCache()
        let options = GenerationOptions(maxTokens: generatedTokens, temperature: 0)
        let streams = (0..<count).map { _ in engine.generate(prompt: prompt, options: options) }
        let clock = ContinuousClock()
        let times = try await withThrowingTaskGroup(of: [ContinuousClock.Instant].self) { group in
            for stream in streams {
                group.addTask {
                    var times: [ContinuousClock.Instant] = []
                    for try await piece in stream where piece.token != nil { times.append(clock.now) }
                    return times
                }
            }
            var all: [[ContinuousClock.Instant]] = []
            for try await times in group where !times.isEmpty { all.append(times) }
            return all
        }
        guard let start = times.compactMap(\.first).max(), let end = times.compactMap(\.last).min(), end > start else {
            return 0
        }
        let inside = times.reduce(0) { $0 + $1.filter { $0 > start && $0 <= end }.count }
        return Double(inside) / Statistics.seconds(end - start)
    }

    /// Runs `llama-batched-bench -npl 1,2,4,8 --output-format jsonl` once and reads `speed_tg` per count.
    ///
    /// llama.cpp's log is written by a background thread that the tool does not always let finish at exit, so the
    /// last line is sometimes lost when stdout is a pipe; one extra `pl 1` case at the end absorbs that (the first
    /// line of each count is used).
    private func batchedBench(promptTokens: Int, contextLength: Int) async throws -> [(Int, Double)] {
        let arguments = [
            "-m", model.path, "-c", "\(contextLength)", "-b", "512", "-ub", "512", "-npp", "\(promptTokens)",
            "-ntg", "\(generatedTokens)", "-npl", (counts + [1]).map(String.init).joined(separator: ","),
            "-t", "\(threads)", "--output-format", "jsonl",
        ]
        let output = try await Subprocess.run(files.llamaBatchedBench, arguments)
        struct Line: Decodable {
            var pl: Int
            var speed_tg: Double
        }
        let lines = try output.split(separator: "\n").filter { $0.hasPrefix("{") }.map {
            try JSONDecoder().decode(Line.self, from: Data($0.utf8))
        }
        guard Set(lines.map(\.pl)) == Set(counts) else {
            throw BenchmarkError.unexpectedOutput(command: "llama-batched-bench", reason: "pl counts \(lines.map(\.pl)) in \(output.count) bytes: \(output.suffix(400))")
        }
        return counts.compactMap { count in lines.first { $0.pl == count }.map { (count, $0.speed_tg) } }
    }
}

extension BenchFiles {
    /// llama.cpp's `llama-batched-bench`, installed by the setup beside `llama-bench`.
    var llamaBatchedBench: URL { prefix.appendingPathComponent("bin/llama-batched-bench") }
}
