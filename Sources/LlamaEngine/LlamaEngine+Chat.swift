// MARK: - Chat

extension LlamaEngine {
    /// Generates the assistant's reply to a conversation, streamed like ``generate(prompt:options:)``.
    ///
    /// The prompt is the conversation formatted by libllama's `llama_chat_apply_template` with the model's
    /// `tokenizer.chat_template` (or the `chatTemplate` parameter), ending with the assistant's turn opened; its
    /// special-token text (e.g. `<|im_start|>`) becomes special tokens. The model's end-of-generation tokens (EOS,
    /// end-of-turn) end the reply with ``StopReason/endOfSequence``. In a multi-turn chat the earlier turns are
    /// usually still in a sequence's cache, so only the new turn is decoded.
    ///
    /// ```swift
    /// let reply = try await engine.completeChat(messages: [
    ///     ChatMessage(role: .system, content: "Answer briefly."),
    ///     ChatMessage(role: .user, content: "What is a llama?"),
    /// ], options: GenerationOptions(maxTokens: 64))
    /// ```
    /// - Parameters:
    ///   - messages: The conversation, oldest first.
    ///   - options: Sampling and stop options.
    /// - Returns: A stream of pieces; it throws what ``generate(prompt:options:)``'s stream throws, and
    ///   ``LlamaError/chatTemplateUnavailable(model:source:builtIn:)`` when the model has no template libllama can
    ///   apply.
    public func chat(
        messages: [ChatMessage], options: GenerationOptions = GenerationOptions()
    ) -> AsyncThrowingStream<GeneratedPiece, any Error> {
        startGeneration(options: options) { session in
            try Self.chatTokens(try Self.formatChat(messages, session: session), session: session, options: options)
        }
    }

    /// Generates the assistant's reply and collects it: the convenience form of ``chat(messages:options:)``.
    /// - Parameters:
    ///   - messages: The conversation, oldest first.
    ///   - options: Sampling and stop options.
    /// - Returns: The reply's text and tokens, the stop reason and the usage.
    /// - Throws: What ``chat(messages:options:)``'s stream throws.
    public func completeChat(
        messages: [ChatMessage], options: GenerationOptions = GenerationOptions()
    ) async throws -> GenerationResult {
        try await Self.collect(chat(messages: messages, options: options))
    }

    /// The prompt text ``chat(messages:options:)`` decodes for `messages` (`llama_chat_apply_template`, assistant
    /// turn opened).
    /// - Parameter messages: The conversation.
    /// - Returns: The formatted prompt.
    /// - Throws: ``LlamaError/notLoaded(model:)``, ``LlamaError/chatTemplateUnavailable(model:source:builtIn:)``.
    public func formatChat(_ messages: [ChatMessage]) throws -> String {
        try Self.formatChat(messages, session: currentSession())
    }

    /// The prompt tokens ``chat(messages:options:)`` decodes for `messages`.
    /// - Parameters:
    ///   - messages: The conversation.
    ///   - addSpecialTokens: Whether to add the BOS the model asks for (not added twice when the template writes
    ///     it).
    /// - Returns: The token ids.
    /// - Throws: What ``formatChat(_:)`` throws, and ``LlamaError/tokenizationFailed(model:reason:)``.
    public func chatTokens(_ messages: [ChatMessage], addSpecialTokens: Bool = true) throws -> [Int32] {
        let session = try currentSession()
        return try Self.chatTokens(
            try Self.formatChat(messages, session: session), session: session,
            options: GenerationOptions(addSpecialTokens: addSpecialTokens))
    }

    /// The template names libllama knows (`llama_chat_builtin_templates`), for the `chatTemplate` parameter.
    public static var builtInChatTemplates: [String] { LlamaChatTemplate.builtInNames }

    private static func formatChat(_ messages: [ChatMessage], session: LlamaSession) throws -> String {
        let name = session.info.name
        let template: String
        let source: String
        if let chosen = session.info.chatTemplate {
            template = chosen
            source = "the chatTemplate parameter \(chosen.count > 40 ? String(chosen.prefix(40)) + "…" : chosen)"
        } else if let own = session.model.chatTemplate {
            template = own
            source = "the model's tokenizer.chat_template, which libllama does not recognise"
        } else {
            throw LlamaError.chatTemplateUnavailable(
                model: name, source: "the model's metadata has no tokenizer.chat_template",
                builtIn: LlamaChatTemplate.builtInNames)
        }
        guard let prompt = LlamaChatTemplate.apply(template, to: messages) else {
            throw LlamaError.chatTemplateUnavailable(model: name, source: source, builtIn: LlamaChatTemplate.builtInNames)
        }
        return prompt
    }

    private static func chatTokens(_ prompt: String, session: LlamaSession, options: GenerationOptions) throws -> [Int32] {
        var tokens = try session.tokenize(prompt, addSpecial: options.addSpecialTokens, parseSpecial: true)
        if options.addSpecialTokens, tokens.count >= 2, tokens[0] == tokens[1], tokens[0] == session.model.addedBOS {
            tokens.removeFirst()  // the template wrote BOS itself
        }
        return tokens
    }
}
