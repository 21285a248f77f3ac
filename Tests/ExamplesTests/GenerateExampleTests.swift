import Foundation
import ModelRegistryTestSupport
import Testing

/// The `generate` example: streaming through the registry, the summary line, and Ctrl-C.
@Suite struct GenerateExampleTests {
    @Test(.timeLimit(.minutes(2)))
    func generate_fewTokens_streamsThemAndPrintsStopReasonAndSpeed() async throws {
        let run = try await ExampleProcess.run("generate", ["--max-tokens", "8", "--threads", "1"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("loaded tiny-llama (llamacpp/llm)"))
        let summary = try #require(run.lines.last { $0.hasPrefix("[") })
        let match = try #require(summary.wholeMatch(of: #/\[(\d+) tokens, stop reason (\w+), ([\d.]+) tokens/s, .*\]/#))
        let tokens = try #require(Int(match.1))
        #expect((1...8).contains(tokens))
        #expect(match.2 == "maxTokens" || match.2 == "endOfSequence")
        #expect(tokens == 8 || match.2 == "endOfSequence")
        #expect(try #require(Double(match.3)) > 0)
    }

    @Test(.timeLimit(.minutes(2)))
    func generate_sigintDuringGeneration_cancelsUnloadsAndExitsZero() async throws {
        // 8,190 tokens before the context fills: seconds of work, so the signal lands while tokens stream.
        let arguments = ["--max-tokens", "1000000", "--context", "8192", "--threads", "1", "--prompt", "the cat"]
        var interrupted = false
        let run = try await ExampleProcess.run("generate", arguments) { output, process in
            guard !interrupted, let prompt = output.range(of: "\nthe cat") else { return }
            guard !output[prompt.upperBound...].isEmpty else { return }  // wait for generated text
            interrupted = true
            process.interrupt()  // SIGINT
        }
        #expect(interrupted)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("cancelled after"))
        #expect(run.stdout.contains("model unloaded"))
        #expect(!run.stdout.contains("stop reason"))
    }

    @Test(.timeLimit(.minutes(2)))
    func generate_missingModel_failsNamingTheFile() async throws {
        let run = try await ExampleProcess.run("generate", ["--model", "/nonexistent/missing.gguf"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("/nonexistent/missing.gguf"))
    }
}
