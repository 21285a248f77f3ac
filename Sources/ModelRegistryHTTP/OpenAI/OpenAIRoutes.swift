import Foundation
import LlamaEngine
import ModelRegistry

// MARK: - OpenAI-compatible API on llama.cpp models

extension RegistryRouter {
    /// `/v1/models`, `/v1/completions`, `/v1/embeddings` (and `/v1/chat/completions`, see `OpenAIChat.swift`).
    static let openAIRoutes: [Route] = [
        Route(.get, "/v1/models") { router, _, _ in Routed(.json(await router.registry.openAIModelList)) },
        Route(.get, "/v1/models/{name}") { router, _, parameters in
            let name = parameters["name"] ?? ""
            _ = try await router.configuration(of: name)
            guard let model = await router.registry.openAIModelList.data.first(where: { $0.id == name }) else {
                throw HTTPError.modelNotFound(name, available: await router.registry.availableModels)
            }
            return Routed(.json(model))
        },
        Route(.post, "/v1/completions") { router, request, _ in
            let body = try JSONCoding.decode(CompletionRequest.self, from: request.body)
            return try await Routed.answering(for: body.model) { try await router.complete(body) }
        },
        Route(.post, "/v1/embeddings") { router, request, _ in
            let body = try JSONCoding.decode(EmbeddingRequest.self, from: request.body)
            return try await Routed.answering(for: body.model) { try await router.embed(body) }
        },
    ] + openAIChatRoutes

    /// Checks that `name` is a llama.cpp model of `type`, then takes a lease on it.
    func llamaLease(_ name: String, type: ModelType, route: String) async throws -> (ModelLease, LlamaEngine) {
        let configuration = try await configuration(of: name)
        guard configuration.engine == .llamacpp, configuration.modelType == type else {
            throw HTTPError.wrongKind(name, is: configuration, route: route, needs: "a llamacpp/\(type) model")
        }
        let lease = try await registry.get(name)
        do {
            return (lease, try lease.engine(as: LlamaEngine.self))
        } catch {
            await lease.release()
            throw error
        }
    }

    /// `POST /v1/completions`, whole or streamed.
    func complete(_ request: CompletionRequest) async throws -> HTTPResponse {
        guard request.prompt.values.count == 1, let prompt = request.prompt.values.first else {
            throw HTTPError.malformedBody(field: "prompt", reason: "give exactly one prompt string")
        }
        let options = try request.sampling.generationOptions(defaultMaxTokens: 16)
        let (lease, engine) = try await llamaLease(request.model, type: .llm, route: "/v1/completions")
        let id = "cmpl-\(UUID().uuidString.lowercased())"
        let created = Int(Date().timeIntervalSince1970)
        let model = request.model
        if request.stream == true {
            let includeUsage = request.streamOptions?.includeUsage == true
            let stream = SSEGeneration(
                events: { piece, _ in
                    guard !piece.text.isEmpty else { return [] }
                    return [SSEGeneration.event(CompletionResponse(
                        id: id, created: created, model: model, choices: [CompletionChoice(text: piece.text)]))]
                },
                closing: { reason, usage in
                    var events = [SSEGeneration.event(CompletionResponse(
                        id: id, created: created, model: model,
                        choices: [CompletionChoice(text: "", finishReason: Self.finishReason(reason))]))]
                    if includeUsage {
                        events.append(SSEGeneration.event(CompletionResponse(
                            id: id, created: created, model: model, choices: [], usage: OpenAIUsage(usage))))
                    }
                    return events
                })
            return try await stream.response(
                lease: lease, metrics: metrics, pieces: engine.generate(prompt: prompt, options: options))
        }
        do {
            let result = try await engine.complete(prompt: prompt, options: options)
            await lease.release()
            return .json(CompletionResponse(
                id: id, created: created, model: model,
                choices: [CompletionChoice(text: result.text, finishReason: Self.finishReason(result.stopReason))],
                usage: OpenAIUsage(result.usage)))
        } catch {
            await lease.release()
            throw error
        }
    }

    /// `POST /v1/embeddings`: one vector per input string.
    func embed(_ request: EmbeddingRequest) async throws -> HTTPResponse {
        let inputs = request.input.values
        guard !inputs.isEmpty else { throw HTTPError.malformedBody(field: "input", reason: "give at least one string") }
        let base64: Bool
        switch request.encodingFormat {
        case nil, "float": base64 = false
        case "base64": base64 = true
        case let other?:
            throw HTTPError.malformedBody(field: "encoding_format", reason: "\"\(other)\" is not float or base64")
        }
        let (lease, engine) = try await llamaLease(request.model, type: .embedding, route: "/v1/embeddings")
        do {
            var tokens = 0
            for text in inputs { tokens += try await engine.tokenize(text, addSpecial: true).count }
            let vectors = try await engine.embed(inputs)
            let data = vectors.enumerated().map { index, vector in
                EmbeddingData(
                    index: index,
                    embedding: base64 ? .base64(vector.withUnsafeBytes { Data($0) }.base64EncodedString()) : .floats(vector))
            }
            await lease.release()
            return .json(EmbeddingResponse(
                data: data, model: request.model, usage: OpenAIUsage(promptTokens: tokens, totalTokens: tokens)))
        } catch {
            await lease.release()
            throw error
        }
    }

    /// OpenAI's `finish_reason`.
    static func finishReason(_ reason: StopReason) -> String {
        switch reason {
        case .maxTokens, .contextFull: "length"
        case .endOfSequence, .stopString, .cancelled: "stop"
        }
    }

    /// Statuses for ``LlamaError``.
    static let openAIErrorStatus: @Sendable (any Error) -> HTTPError? = { error in
        guard let error = error as? LlamaError else { return nil }
        let message = error.description
        switch error {
        case .invalidParameter(_, let name, _, _):
            return HTTPError(status: 400, code: "invalid_request", message: message, field: name)
        case .inputTooLong, .emptyInput, .invalidToken, .tokenizationFailed:
            return HTTPError(status: 400, code: "invalid_request", message: message)
        case .unsupportedOperation, .chatTemplateUnavailable:
            return HTTPError(status: 400, code: "wrong_model_kind", message: message, field: "model")
        case .invalidGrammar:
            return HTTPError(status: 400, code: "invalid_request", message: message, field: "grammar")
        case .noTokenAllowed:
            return HTTPError(status: 400, code: "invalid_request", message: message, field: "logit_bias")
        case .queueFull:
            return HTTPError(status: 429, code: "queue_full", message: message, retryAfterSeconds: 1)
        case .notLoaded:
            return HTTPError(status: 503, code: "model_unavailable", message: message, retryAfterSeconds: 1)
        default:
            return HTTPError(status: 500, code: "engine_error", message: message)
        }
    }
}
