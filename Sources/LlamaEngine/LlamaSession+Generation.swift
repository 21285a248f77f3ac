import CLlama
import Foundation

// MARK: - Generation requests

extension LlamaSession {
    /// Checks a generation and turns it into a request for the scheduler (on the caller's thread: tokenizing and
    /// building the sampler read only the vocabulary). Nothing is decoded here.
    /// - Parameters:
    ///   - prompt: The prompt's tokens.
    ///   - options: Sampling and stop options.
    ///   - continuation: The stream the request's pieces go to.
    /// - Returns: The request.
    /// - Throws: ``LlamaError`` for a wrong model type, an option out of range, a malformed grammar
    ///   (``LlamaError/invalidGrammar(model:reason:)``), or an empty or too long prompt.
    func makeRequest(
        prompt: [Int32], options: GenerationOptions, continuation: GenerationRequest.Continuation
    ) throws -> GenerationRequest {
        guard !info.embeddingMode else {
            throw LlamaError.unsupportedOperation(
                model: info.name, operation: "generate text", modelType: info.modelTypeName, needs: "llm")
        }
        if let bad = options.invalidOption(vocabularySize: info.vocabularySize) {
            throw LlamaError.invalidParameter(model: info.name, name: bad.name, value: bad.value, expected: bad.expected)
        }
        guard !prompt.isEmpty else { throw LlamaError.emptyInput(model: info.name, operation: "generate") }
        guard prompt.count < info.contextLength else {
            throw LlamaError.inputTooLong(
                model: info.name, tokens: prompt.count, limit: info.contextLength - 1, setting: "contextLength")
        }
        let seed = options.seed ?? info.defaultSeed ?? UInt32(LLAMA_DEFAULT_SEED)
        let sampler: LlamaSampler
        LlamaLog.beginCapture()
        defer { _ = LlamaLog.takeCaptured() }
        do {
            sampler = try LlamaSampler(options: options, seed: seed, model: model, contextLength: info.contextLength)
        } catch {
            throw LlamaError.invalidGrammar(model: info.name, reason: grammarProblem(options.grammar ?? ""))
        }
        return GenerationRequest(prompt: prompt, options: options, sampler: sampler, continuation: continuation)
    }

    /// Why libllama refuses `grammar`: its parser's message (written to stderr, so captured from there), e.g.
    /// `expecting ')' at …`, cut to ``grammarProblemLength`` characters (the message quotes the rest of the grammar
    /// from where parsing failed).
    private func grammarProblem(_ grammar: String) -> String {
        let output = StandardErrorCapture.capture {
            if let sampler = model.withUnsafeVocab({ llama_sampler_init_grammar($0, grammar, "root") }) {
                llama_sampler_free(sampler)
            }
        }
        let marker = "error parsing grammar: "
        guard let output, let range = output.range(of: marker) else { return "libllama could not parse it" }
        let line = output[range.upperBound...].prefix { $0 != "\n" }.trimmingCharacters(in: .whitespaces)
        guard !line.isEmpty else { return "libllama could not parse it" }
        return line.count > Self.grammarProblemLength ? line.prefix(Self.grammarProblemLength) + "…" : line
    }

    /// The most characters of libllama's grammar message that ``LlamaError/invalidGrammar(model:reason:)`` quotes.
    static let grammarProblemLength = 300
}
