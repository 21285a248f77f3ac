import Foundation
import LlamaEngine
import ModelRegistry
import ModelRegistryEngines

/// llama.cpp: our engine's prompt processing and generation speed against `llama-bench` on the same GGUF, threads,
/// prompt length and generation length.
///
/// Our side loads the model through a registry and times `generate` (greedy) on a prompt of exactly `promptTokens`
/// tokens (BOS included, as llama-bench counts it). The engine decodes the whole prompt before it yields the first
/// piece, then yields one piece per decode step, so:
/// - pp ≈ prompt tokens / time to the first piece (tokenizing, one batch decode of the prompt, one greedy sample);
/// - tg = (tokens − 1) / the engine's own generation time (``GenerationUsage/generationDuration``: from the first
///   sampled token to the last, each step one single-token decode of the scheduling loop and a sample). The stream's
///   arrival times are not used: on a tiny model the loop outruns the consumer and pieces arrive in bursts.
/// llama-bench times bare decodes (pp: the prompt in one batch; tg: single-token decodes after a context as long
/// as our prompt, `-d`, since each decode attends to every token before it; no sampling), so the ratio shows what
/// the engine and its stream add. Runs alternate between the two sides (`llama-bench -r 1` each time), because on a
/// small shared machine the load changes from minute to minute and ggml's spinning thread barriers make both sides
/// very sensitive to it.
struct LlamaBenchmark {
    let model: URL
    let files: BenchFiles
    let promptTokens: Int
    let generatedTokens: Int
    let threads: Int
    let runs: Int

    func run() async throws -> [Measurement] {
        let measured = try await measure()
        let setting = "\(model.lastPathComponent), \(threads) thread\(threads == 1 ? "" : "s")"
        let ppNote = "ours: prompt tokens / time to the first piece (tokenize + prompt decode + 1 sample)"
        let tgNote = "ours: (tokens − 1) / usage.generationDuration (scheduling-loop steps: decode + sample), greedy, "
            + "after the pp prompt; llama-bench: tg at the same depth (-d)"
        let reference = measured.theirs.pp.isEmpty ? nil : measured.theirs
        return [
            Measurement(
                "llama.cpp", "pp\(measured.promptTokens) prompt processing (\(setting))", runs: measured.ours.pp,
                unit: "tokens/s", higherIsBetter: true, comparison: reference.map { ("llama-bench", $0.pp) },
                note: ppNote),
            Measurement(
                "llama.cpp", "tg\(generatedTokens) generation after pp\(measured.promptTokens) (\(setting))",
                runs: measured.ours.tg, unit: "tokens/s",
                higherIsBetter: true, comparison: reference.map { ("llama-bench", $0.tg) }, note: tgNote),
        ]
    }

    /// Loads the model through a registry, then alternates one timed greedy generation of ours with one
    /// `llama-bench -r 1`, so that both sides see the same machine load (after one untimed warm-up of ours;
    /// llama-bench warms up on its own).
    private func measure() async throws -> (
        promptTokens: Int, ours: (pp: [Double], tg: [Double]), theirs: (pp: [Double], tg: [Double])
    ) {
        Progress.say("llama.cpp: our engine and llama-bench, alternating, on \(model.lastPathComponent), \(runs) runs")
        let name = "bench-llm"
        let registry = ModelRegistry(factory: .builtIn, models: [
            ModelConfiguration(
                name: name, engine: .llamacpp, modelType: .llm, path: model.path,
                contextLength: promptTokens + generatedTokens + 16, threads: threads)
        ])
        let lease: ModelLease
        do {
            lease = try await registry.get(name)
        } catch {
            await registry.shutdown()
            throw error
        }
        var ours: (pp: [Double], tg: [Double]) = ([], [])
        var theirs: (pp: [Double], tg: [Double]) = ([], [])
        var referenceFailed = false
        var promptTokens = promptTokens
        do {
            let engine = try lease.engine(as: LlamaEngine.self)
            let prompt = try await LlamaPrompt.make(tokens: promptTokens, engine: engine)
            promptTokens = prompt.tokens
            let options = GenerationOptions(maxTokens: generatedTokens, temperature: 0)
            _ = try await time(engine, prompt: prompt.text, options: options)
            for _ in 0..<runs {
                let timing = try await time(engine, prompt: prompt.text, options: options)
                ours.pp.append(Double(prompt.tokens) / timing.toFirst)
                if timing.pieces > 1, timing.generation > 0 {
                    ours.tg.append(Double(timing.pieces - 1) / timing.generation)
                }
                guard !referenceFailed else { continue }
                do {
                    let reference = try await measureLlamaBench(promptTokens: prompt.tokens)
                    theirs.pp += reference.pp
                    theirs.tg += reference.tg
                } catch {
                    Progress.say("llama-bench failed, no reference figures: \(error)")
                    referenceFailed = true
                    theirs = ([], [])
                }
            }
            if ours.tg.isEmpty { Progress.say("the model stopped after one token: no generation figure") }
        } catch {
            await lease.release()
            await registry.shutdown()
            throw error
        }
        await lease.release()
        await registry.shutdown()
        return (promptTokens, ours, theirs)
    }

    private func time(
        _ engine: LlamaEngine, prompt: String, options: GenerationOptions
    ) async throws -> (toFirst: Double, generation: Double, pieces: Int) {
        try await engine.clearPromptCache()  // the same prompt every run: decode all of it, as llama-bench does
        let clock = ContinuousClock()
        let start = clock.now
        var first: ContinuousClock.Instant?
        var pieces = 0
        var generation = 0.0
        for try await piece in engine.generate(prompt: prompt, options: options) {
            if piece.token != nil {
                if first == nil { first = clock.now }
                pieces += 1
            }
            if let usage = piece.usage { generation = Statistics.seconds(usage.generationDuration) }
        }
        return (Statistics.seconds((first ?? clock.now) - start), generation, pieces)
    }

    /// Runs llama-bench twice, `-p P -n 0` (prompt processing) and `-p 0 -n N -d P` (generation at the depth our
    /// generation runs at), each `-t T -r 1 -o json`, and reads the tokens/s of both tests.
    private func measureLlamaBench(promptTokens: Int) async throws -> (pp: [Double], tg: [Double]) {
        let pp = try await llamaBench(["-p", "\(promptTokens)", "-n", "0"])
            .first { $0.n_prompt == promptTokens && $0.n_gen == 0 }
        let tg = try await llamaBench(["-p", "0", "-n", "\(generatedTokens)", "-d", "\(promptTokens)"])
            .first { $0.n_prompt == 0 && $0.n_gen == generatedTokens && $0.n_depth == promptTokens }
        guard let pp, let tg else {
            throw BenchmarkError.unexpectedOutput(
                command: "llama-bench", reason: "no pp\(promptTokens) or tg\(generatedTokens) @ d\(promptTokens) test")
        }
        return (pp.samples_ts, tg.samples_ts)
    }

    /// One test of llama-bench's JSON output.
    private struct LlamaBenchTest: Decodable {
        var n_prompt: Int
        var n_gen: Int
        var n_depth: Int
        var samples_ts: [Double]
    }

    /// Runs `llama-bench -m MODEL … -t T -r 1 -o json` with the test's own arguments.
    private func llamaBench(_ test: [String]) async throws -> [LlamaBenchTest] {
        let arguments = ["-m", model.path] + test + ["-t", "\(threads)", "-r", "1", "-o", "json"]
        let output = try await Subprocess.run(files.llamaBench, arguments)
        do {
            return try JSONDecoder().decode([LlamaBenchTest].self, from: Data(output.utf8))
        } catch {
            throw BenchmarkError.unexpectedOutput(command: "llama-bench", reason: "\(error)")
        }
    }
}
