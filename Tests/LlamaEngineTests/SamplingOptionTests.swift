@testable import LlamaEngine
import Testing

@Suite(.timeLimit(.minutes(3))) struct SamplingOptionTests {
    static let invalid: [(String, GenerationOptions)] = [
        ("maxTokens", .init(maxTokens: 0)),
        ("temperature", .init(temperature: -1)),
        ("topK", .init(topK: -3)),
        ("topP", .init(topP: 1.5)),
        ("minP", .init(minP: -0.1)),
        ("repeatPenalty", .init(repeatPenalty: 0)),
        ("frequencyPenalty", .init(frequencyPenalty: .nan)),
        ("presencePenalty", .init(presencePenalty: .infinity)),
        ("penaltyLastN", .init(penaltyLastN: -2)),
        ("logitBias", .init(logitBias: [1_000_000: 1])),
        ("logitBias", .init(logitBias: [5: .nan])),
    ]

    @Test(arguments: invalid.indices)
    func invalidOption_throwsInvalidParameterNamingIt(index: Int) async throws {
        let (name, options) = Self.invalid[index]
        let engine = try await LlamaFixtures.engine()
        let error = try await #require(throws: LlamaError.self) {
            for try await _ in engine.generate(prompt: "the cat", options: options) {}
        }
        guard case .invalidParameter(_, let reported, _, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(reported == name)
        #expect(error.description.contains(name))
        await engine.unload()
    }

    @Test func malformedGrammar_throwsBeforeAnyDecode_namingTheProblem() async throws {
        let engine = try await LlamaFixtures.engine()
        let error = try await #require(throws: LlamaError.self) {
            for try await _ in engine.generate(prompt: "the", options: .init(grammar: "root ::= (\"a\" | ")) {}
        }
        guard case .invalidGrammar(let model, let reason) = error else { Issue.record("unexpected \(error)"); return }
        #expect(model == "tiny")
        #expect(reason.contains("expecting"), "\(reason)")  // libllama's parser: "expecting ')' at …"
        let states = try await engine.sequenceStates()
        #expect(states.allSatisfy { $0.cachedTokens == 0 && $0.lastPosition == -1 })  // nothing was decoded
        await engine.unload()
    }

    @Test func grammar_constrainsTheOutput() async throws {
        let engine = try await LlamaFixtures.engine()
        let grammar = #"root ::= ("yes" | "no") "." [0-9] [0-9]"#
        for prompt in ["the cat", "hello world", "one two"] {
            let result = try await engine.complete(prompt: prompt, options: .init(maxTokens: 32, grammar: grammar))
            let text = result.text
            #expect(result.stopReason == .endOfSequence, "\(text.debugDescription)")
            #expect(text.wholeMatch(of: /(yes|no)\.[0-9][0-9]/) != nil, "\(text.debugDescription)")
        }
        await engine.unload()
    }

    @Test func logitBias_minusInfinityBansTheGreedyChoice() async throws {
        let engine = try await LlamaFixtures.engine()
        let free = try await engine.complete(prompt: "the cat", options: .init(maxTokens: 1))
        let first = try #require(free.tokens.first)
        let banned = try await engine.complete(prompt: "the cat", options: .init(maxTokens: 1, logitBias: [first: -.infinity]))
        #expect(banned.tokens.count == 1 && banned.tokens.first != first)
        let forced = try await engine.complete(prompt: "the cat", options: .init(maxTokens: 3, logitBias: [42: 1000]))
        #expect(forced.tokens == [42, 42, 42])
        await engine.unload()
    }

    /// Once `yes` is out the grammar allows only end-of-generation, which the bias bans (token 2, the fixture's only
    /// end-of-generation token): no token may follow. `llama_sampler_sample` would pick token 0 and the grammar's
    /// accept would throw a C++ exception through Swift, ending the process; the request fails instead, naming the
    /// model, and the engine goes on serving.
    @Test func grammarAllowingOnlyBannedTokens_failsTheRequest_andTheEngineServesOn() async throws {
        let engine = try await LlamaFixtures.engine()
        let options = GenerationOptions(maxTokens: 8, logitBias: [2: -.infinity], grammar: #"root ::= "yes""#)
        let error = try await #require(throws: LlamaError.self) {
            for try await _ in engine.generate(prompt: "the cat", options: options) {}
        }
        guard case .noTokenAllowed(let model, let generated) = error else { Issue.record("unexpected \(error)"); return }
        #expect(model == "tiny" && generated >= 1)
        #expect(error.description.contains("logit bias and the grammar"))
        let next = try await engine.complete(prompt: "the cat", options: .init(maxTokens: 2))
        #expect(next.tokens.count == 2)
        await engine.unload()
    }

    /// A penalty window wider than the context is the context: libllama would allocate the whole window up front.
    @Test func penaltyWindowBeyondTheContext_generatesAsWithTheWholeContext() async throws {
        let engine = try await LlamaFixtures.engine()
        var options = GenerationOptions(maxTokens: 4, repeatPenalty: 1.5, penaltyLastN: -1)
        let whole = try await engine.complete(prompt: "the cat", options: options)
        options.penaltyLastN = Int(Int32.max)
        let huge = try await engine.complete(prompt: "the cat", options: options)
        #expect(huge.tokens == whole.tokens)
        await engine.unload()
    }

    @Test func repeatPenalty_changesGreedyOutputThatRepeats() async throws {
        let engine = try await LlamaFixtures.engine()
        let forced = GenerationOptions(maxTokens: 6, logitBias: [42: 5])
        let plain = try await engine.complete(prompt: "the cat", options: forced)
        var penalised = forced
        penalised.repeatPenalty = 1000
        penalised.penaltyLastN = -1
        let result = try await engine.complete(prompt: "the cat", options: penalised)
        #expect(plain.tokens.filter { $0 == 42 }.count > result.tokens.filter { $0 == 42 }.count)
        await engine.unload()
    }

    @Test func sampling_withMinPAndPenalties_isReproducibleWithASeed() async throws {
        let engine = try await LlamaFixtures.engine()
        let options = GenerationOptions(
            maxTokens: 16, temperature: 0.9, minP: 0.05, frequencyPenalty: 0.5, presencePenalty: 0.5, seed: 77)
        let first = try await engine.complete(prompt: "hello", options: options)
        let second = try await engine.complete(prompt: "hello", options: options)
        #expect(first.tokens.count == 16 && first.tokens == second.tokens)
        await engine.unload()
    }
}
