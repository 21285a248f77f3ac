public import Foundation

/// Everything ``LlamaEngine`` throws. Each case names the model (its public name) and says what to do; native
/// failures carry libllama's own last warning/error lines when it logged any.
public enum LlamaError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// The engine has no model loaded (never loaded, or unloaded).
    case notLoaded(model: String)
    /// The engine already holds (or is loading) a model; unload it first.
    case alreadyLoaded(model: String)
    /// The model's path is a URL; this engine loads local files only.
    case remotePath(model: String, path: String)
    /// The file failed the GGUF check that runs before libllama sees it.
    case invalidModelFile(model: String, problem: GGUFValidationError)
    /// A configuration value or engine parameter is out of range.
    case invalidParameter(model: String, name: String, value: String, expected: String)
    /// `llama_model_load_from_file` returned no model.
    case modelLoadFailed(model: String, path: String, reason: String)
    /// `llama_init_from_model` returned no context.
    case contextCreationFailed(model: String, reason: String)
    /// The operation needs another model type, e.g. `embed` on a model loaded as `llm`.
    case unsupportedOperation(model: String, operation: String, modelType: String, needs: String)
    /// The input has no tokens to run.
    case emptyInput(model: String, operation: String)
    /// The input has more tokens than the context (or batch) holds.
    case inputTooLong(model: String, tokens: Int, limit: Int, setting: String)
    /// A token id is outside the vocabulary.
    case invalidToken(model: String, token: Int32, vocabularySize: Int)
    /// `llama_tokenize` failed.
    case tokenizationFailed(model: String, reason: String)
    /// `llama_decode` failed with a status code.
    case decodeFailed(model: String, status: Int32, reason: String)
    /// libllama produced no embedding for the input.
    case embeddingUnavailable(model: String, reason: String)
    /// Every sequence slot is busy (`running` of them) and the wait queue holds `queued` requests, its `capacity`
    /// (the model's `queueCapacity`); retry later, or raise `parallel` or `queueCapacity`.
    case queueFull(model: String, running: Int, queued: Int, capacity: Int)
    /// The model has no chat template libllama can apply: none in its metadata, or one `llama_chat_apply_template`
    /// does not recognise. `source` says where the template came from; `builtIn` lists the names libllama knows
    /// (`llama_chat_builtin_templates`), any of which may be given as the `chatTemplate` parameter.
    case chatTemplateUnavailable(model: String, source: String, builtIn: [String])
    /// `llama_sampler_init_grammar` refused the request's GBNF grammar; `reason` is libllama's parse error.
    case invalidGrammar(model: String, reason: String)
    /// After `generated` tokens, the request's logit bias and grammar together excluded every token (the grammar
    /// allows only tokens the bias bans, e.g. end-of-generation once the grammar is complete).
    case noTokenAllowed(model: String, generated: Int)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .notLoaded(let model):
            "llama.cpp model \"\(model)\" is not loaded; load it before using it"
        case .alreadyLoaded(let model):
            "llama.cpp engine already holds model \"\(model)\"; unload it first or create another engine"
        case .remotePath(let model, let path):
            "model \"\(model)\": \(path) is a URL; download the GGUF file and give its local path"
        case .invalidModelFile(let model, let problem):
            "model \"\(model)\": \(problem)"
        case .invalidParameter(let model, let name, let value, let expected):
            "model \"\(model)\": \(name) = \(value) is invalid; expected \(expected)"
        case .modelLoadFailed(let model, let path, let reason):
            "model \"\(model)\": libllama could not load \(path): \(reason); check that the file is a llama.cpp "
                + "GGUF model of an architecture this libllama supports"
        case .contextCreationFailed(let model, let reason):
            "model \"\(model)\": libllama could not create a context: \(reason); lower contextLength or batchSize"
        case .unsupportedOperation(let model, let operation, let modelType, let needs):
            "model \"\(model)\" is loaded as \(modelType), which cannot \(operation); configure it with type \"\(needs)\""
        case .emptyInput(let model, let operation):
            "model \"\(model)\": \(operation) needs some text, but the input has no tokens"
        case .inputTooLong(let model, let tokens, let limit, let setting):
            "model \"\(model)\": the input has \(tokens) tokens but at most \(limit) fit; shorten it or raise \(setting)"
        case .invalidToken(let model, let token, let vocabularySize):
            "model \"\(model)\": token \(token) is outside the vocabulary (0..<\(vocabularySize))"
        case .tokenizationFailed(let model, let reason):
            "model \"\(model)\": tokenization failed: \(reason)"
        case .decodeFailed(let model, let status, let reason):
            "model \"\(model)\": llama_decode failed with status \(status): \(reason)"
        case .embeddingUnavailable(let model, let reason):
            "model \"\(model)\": no embedding was produced: \(reason)"
        case .queueFull(let model, let running, let queued, let capacity):
            "model \"\(model)\" is busy: \(running) requests running and \(queued) waiting (queueCapacity \(capacity)); "
                + "retry later or raise parallel or queueCapacity"
        case .chatTemplateUnavailable(let model, let source, let builtIn):
            "model \"\(model)\": no usable chat template (\(source)); set the parameter chatTemplate to one of "
                + builtIn.joined(separator: ", ")
        case .invalidGrammar(let model, let reason):
            "model \"\(model)\": the GBNF grammar is invalid: \(reason)"
        case .noTokenAllowed(let model, let generated):
            "model \"\(model)\": after \(generated) generated tokens the logit bias and the grammar exclude every "
                + "token (the grammar allows only tokens the bias bans); lift those bans or widen the grammar"
        }
    }

    /// The same text as ``description``, for Foundation's error reporting.
    public var errorDescription: String? { description }

    /// `llama_decode`'s documented meaning of a status code.
    static func decodeStatusMeaning(_ status: Int32) -> String {
        switch status {
        case 1: "no KV-cache slot is free for the batch; raise contextLength"
        case 2: "the computation was aborted"
        case -1: "the batch is invalid"
        default: "a fatal error in the computation"
        }
    }
}
