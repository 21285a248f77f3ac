import Foundation
import LlamaEngine
import ModelRegistry
import ModelRegistryEngines

/// Loads the model through a registry, streams one generation to standard output, then unloads.
struct GenerateRun {
    let options: GenerateOptions
    let interrupt: InterruptSignal

    func run() async throws {
        let name = options.model.deletingPathExtension().lastPathComponent
        let registry = ModelRegistry(factory: .builtIn, models: [
            ModelConfiguration(
                name: name, engine: .llamacpp, modelType: .llm, path: options.model.path,
                contextLength: options.context, threads: options.threads)
        ])
        let record: ModelRecord
        let lease: ModelLease
        let engine: LlamaEngine
        let bar = LoadProgressBar.follow(registry, model: name)
        do {
            record = try await registry.load(name)
            await bar.value  // the bar's line is finished before the next output
            lease = try await registry.get(name)
            engine = try lease.engine(as: LlamaEngine.self)
        } catch {
            await registry.shutdown()
            throw error
        }
        print("loaded \(name) (\(record.engine)/\(record.modelType)) in \(format(record.loadDuration, "%.1f ms")), "
            + "context \(engine.contextLength ?? 0), \(options.threads) threads")

        let sampling = GenerationOptions(
            maxTokens: options.maxTokens, temperature: options.temperature, seed: options.seed)
        write(options.prompt)
        let generation = Task { try await Self.stream(engine.generate(prompt: options.prompt, options: sampling)) }
        interrupt.onInterrupt { generation.cancel() }
        let outcome = await generation.result
        print("")

        await lease.release()
        try await registry.unload(name)
        await registry.shutdown()
        switch outcome {
        case .success(let summary) where summary.stopReason != nil && summary.stopReason != .cancelled:
            print(summary.line)
        case .success(let summary):
            print("cancelled after \(summary.tokens) tokens; model unloaded")
        case .failure(let error) where error is CancellationError:
            print("cancelled; model unloaded")
        case .failure(let error):
            throw error
        }
    }

    /// Writes each piece as it arrives and times the stream.
    /// - Returns: What happened; `stopReason` is `nil` when the task was cancelled before the final piece.
    private static func stream(_ pieces: AsyncThrowingStream<GeneratedPiece, any Error>) async throws -> Summary {
        let clock = ContinuousClock()
        var summary = Summary(started: clock.now)
        for try await piece in pieces {
            write(piece.text)
            if piece.token != nil {
                summary.tokens += 1
                if summary.firstToken == nil { summary.firstToken = clock.now }
                summary.lastToken = clock.now
            }
            if let reason = piece.stopReason { summary.stopReason = reason }
        }
        return summary
    }

    /// Timing and outcome of one generation.
    struct Summary: Sendable {
        let started: ContinuousClock.Instant
        var firstToken: ContinuousClock.Instant?
        var lastToken: ContinuousClock.Instant?
        var tokens = 0
        var stopReason: StopReason?

        /// Tokens per second after the first token (each of those costs one decode step), and the time to the
        /// first token (tokenizing and decoding the prompt, then sampling).
        var line: String {
            var rate = "n/a"
            if let firstToken, let lastToken, tokens > 1, lastToken > firstToken {
                rate = String(format: "%.1f", Double(tokens - 1) / seconds(lastToken - firstToken))
            }
            let first = firstToken.map { format($0 - started, "%.1f ms") } ?? "n/a"
            return "[\(tokens) tokens, stop reason \(stopReason.map { "\($0)" } ?? "none"), \(rate) tokens/s, "
                + "first token after \(first)]"
        }
    }
}

/// Writes text to standard output at once (no line buffering), so pieces show up as they are generated.
func write(_ text: String) {
    guard !text.isEmpty else { return }
    print(text, terminator: "")
    fflush(nil)  // every output stream, standard output included
}

/// A duration in seconds.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// A duration in milliseconds with a format such as `"%.1f ms"`.
func format(_ duration: Duration?, _ pattern: String) -> String {
    guard let duration else { return "?" }
    return String(format: pattern, seconds(duration) * 1000)
}
