import Foundation
import LlamaEngine
import Testing

@Suite(.timeLimit(.minutes(10))) struct ChatTests {
    static let conversation = [
        ChatMessage(role: .system, content: "You are terse."),
        ChatMessage(role: .user, content: "Hello there"),
        ChatMessage(role: .assistant, content: "Hi."),
        ChatMessage(role: .user, content: "What is 2+2?"),
    ]

    /// The special token ids of a GGUF's vocabulary, looked up by their text with the gguf Python package.
    static func tokenIDs(_ texts: [String], in url: URL) async throws -> [Int32] {
        let script = """
            import gguf, sys
            tokens = gguf.GGUFReader(sys.argv[1]).fields['tokenizer.ggml.tokens'].contents()
            print(' '.join(str(tokens.index(t)) for t in sys.argv[2:]))
            """
        let output = try await LlamaFixtures.python(["-c", script, url.path] + texts)
        return output.split(separator: " ").compactMap { Int32($0) }
    }

    @Test func qwen2Template_promptTokensAreChatMLWithSpecialTokens_andChatDecodesExactlyThem() async throws {
        let url = try await GraftedModels.shared.model("qwen2")
        let engine = try await LlamaFixtures.engine(url, contextLength: 512, parallel: 2)
        let special = try await Self.tokenIDs(["<|im_start|>", "<|im_end|>"], in: url)
        let (start, end) = (special[0], special[1])
        // ChatML, as Qwen2's template writes it; special tokens split the text, each text part tokenized alone.
        var expected: [Int32] = []
        for message in Self.conversation {
            expected.append(start)
            expected += try await engine.tokenize("\(message.role.rawValue)\n\(message.content)", addSpecial: false)
            expected.append(end)
            expected += try await engine.tokenize("\n", addSpecial: false)
        }
        expected.append(start)
        expected += try await engine.tokenize("assistant\n", addSpecial: false)

        let formatted = try engine.formatChat(Self.conversation)
        #expect(formatted.hasSuffix("<|im_start|>assistant\n"))
        #expect(try engine.chatTokens(Self.conversation) == expected)

        let options = GenerationOptions(maxTokens: 8)
        let chat = try await engine.completeChat(messages: Self.conversation, options: options)
        try await engine.clearPromptCache()
        let plain = try await engine.complete(tokens: expected, options: options)
        #expect(chat.usage.promptTokens == expected.count)
        #expect(chat.tokens == plain.tokens)
        await engine.unload()
    }

    @Test func phi3Template_formatsPhi3Turns() async throws {
        let engine = try await LlamaFixtures.engine(try await GraftedModels.shared.model("phi-3"), parallel: 1)
        let formatted = try engine.formatChat(Self.conversation)
        #expect(formatted == "<|system|>\nYou are terse.<|end|>\n<|user|>\nHello there<|end|>\n"
            + "<|assistant|>\nHi.<|end|>\n<|user|>\nWhat is 2+2?<|end|>\n<|assistant|>\n")
        let tokens = try engine.chatTokens(Self.conversation)
        let ids = try await Self.tokenIDs(["<s>", "<|system|>", "<|end|>", "<|assistant|>"], in: try await GraftedModels.shared.model("phi-3"))
        #expect(tokens.first == ids[0] && tokens[1] == ids[1])  // BOS once, then the system marker as one token
        #expect(tokens.filter { $0 == ids[2] }.count == 4 && tokens.filter { $0 == ids[3] }.count == 2)
        await engine.unload()
    }

    @Test func multiTurnChat_reusesTheEarlierTurnsFromTheCache() async throws {
        let engine = try await LlamaFixtures.engine(try await GraftedModels.shared.model("qwen2"), contextLength: 512, parallel: 2)
        let first = Array(Self.conversation.prefix(2))
        let reply = try await engine.completeChat(messages: first, options: .init(maxTokens: 6))
        let next = first + [ChatMessage(role: .assistant, content: reply.text), ChatMessage(role: .user, content: "More?")]
        let second = try await engine.completeChat(messages: next, options: .init(maxTokens: 6))
        let firstPrompt = try engine.chatTokens(first)
        #expect(second.usage.cachedTokens >= firstPrompt.count)
        #expect(second.usage.cachedTokens < second.usage.promptTokens)
        await engine.unload()
    }

    @Test func modelWithoutTemplate_throwsNamingTheSourceAndBuiltIns() async throws {
        let engine = try await LlamaFixtures.engine()
        let error = try await #require(throws: LlamaError.self) {
            for try await _ in engine.chat(messages: Self.conversation) {}
        }
        guard case .chatTemplateUnavailable(_, let source, let builtIn) = error else { Issue.record("unexpected \(error)"); return }
        #expect(source.contains("tokenizer.chat_template"))
        #expect(builtIn.contains("chatml") && builtIn == LlamaEngine.builtInChatTemplates)
        #expect(error.description.contains("chatml"))
        await engine.unload()
    }

    @Test func chatTemplateParameter_namesABuiltInTemplate() async throws {
        let engine = try await LlamaFixtures.engine(parameters: ["chatTemplate": "chatml"])
        let formatted = try engine.formatChat([ChatMessage(role: .user, content: "hi")])
        #expect(formatted == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n")
        let result = try await engine.completeChat(messages: [ChatMessage(role: .user, content: "hi")], options: .init(maxTokens: 3))
        #expect(result.tokens.count == 3)
        await engine.unload()

        let unknown = try await LlamaFixtures.engine(parameters: ["chatTemplate": "no-such-template"])
        let error = try #require(throws: LlamaError.self) { try unknown.formatChat([ChatMessage(role: .user, content: "hi")]) }
        guard case .chatTemplateUnavailable(_, let source, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(source.contains("chatTemplate parameter no-such-template"))
        await unknown.unload()
    }
}
