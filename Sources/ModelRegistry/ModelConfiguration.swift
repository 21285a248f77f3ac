public import Foundation

/// How one model is configured: which engine serves it, where its file is, and the options its engine and
/// workers use. Usually read from a ``RegistryConfiguration`` file, where the public name is the entry's key.
///
/// ```swift
/// let iris = ModelConfiguration(name: "iris", engine: .onnxruntime, modelType: .classifier,
///                               path: "/models/logreg_iris.onnx", maxWorkers: 2)
/// ```
public struct ModelConfiguration: Sendable, Hashable, Codable {
    /// The public name callers use, e.g. `"iris"`. The registry injects it, so engines always see it.
    public var name: String
    /// The engine that serves the model.
    public var engine: EngineKind
    /// What the model does; with `engine` it selects the engine type.
    public var modelType: ModelType
    /// Where the model is: a local file or folder path, or an `http(s)` URL to download it from.
    public var path: String
    /// How many workers a ``WorkerRegistry`` starts for the model (at least 1).
    public var maxWorkers: Int
    /// How many submitted requests may wait in the model's worker queue before submitters are held back.
    public var queueCapacity: Int
    /// The context length (tokens) for language models; `nil` means the engine's default.
    public var contextLength: Int?
    /// Threads the engine may use; `nil` means the engine's default.
    public var threads: Int?
    /// The batch size for engines that batch; `nil` means the engine's default.
    public var batchSize: Int?
    /// How many requests an engine that can serve several at once runs concurrently (llama.cpp: sequences in one
    /// context); `nil` means the engine's default (llama.cpp: 4 for `llm`, 1 for `embedding`).
    public var parallel: Int?
    /// Whether ``ModelRegistry/loadAll()`` and preloading load the model at start-up.
    public var preload: Bool
    /// How long a load may take before it fails as timed out; `nil` means no limit.
    public var loadTimeout: Duration?
    /// Engine-specific options, e.g. `["graphOptimization": "all"]` or `["seed": "42"]`.
    public var parameters: [String: String]
    /// How long the model stays loaded after its last lease ends; `nil` uses the registry's default.
    public var keepAlive: KeepAlive?
    /// Pinned models are never evicted to make room for others.
    public var pinned: Bool
    /// The expected SHA-256 (hex) of a downloaded model file; the download fails when it differs.
    public var sha256: String?
    /// The catalog version this configuration serves, e.g. `"1.2.0"`; `nil` when the model is not versioned.
    /// Records and events carry it, so a caller can tell which version answered.
    public var version: String?
    /// What the engine answers once after a load, before the model takes requests (and, in a version swap,
    /// before new leases move to the new version): a prompt for llama.cpp, `zeros` (every input filled with zeros
    /// at its declared shape, unknown dimensions 1) for ONNX Runtime. `nil` skips the warm-up.
    public var warmUp: String?

    /// Creates a model configuration.
    /// - Parameters:
    ///   - name: The public name callers use.
    ///   - engine: The engine that serves the model.
    ///   - modelType: What the model does.
    ///   - path: A local path or an `http(s)` URL.
    ///   - maxWorkers: Workers to start when the model loads.
    ///   - queueCapacity: Requests that may wait in the worker queue.
    ///   - contextLength: Context length for language models.
    ///   - threads: Threads the engine may use.
    ///   - batchSize: Batch size for engines that batch.
    ///   - parallel: Requests served concurrently by engines that can.
    ///   - preload: Whether to load the model at start-up.
    ///   - loadTimeout: The longest a load may take.
    ///   - parameters: Engine-specific options.
    ///   - keepAlive: How long the model stays loaded once idle.
    ///   - pinned: Whether eviction must leave the model loaded.
    ///   - sha256: The expected SHA-256 of a downloaded file.
    ///   - version: The catalog version served.
    ///   - warmUp: The input the engine answers after each load.
    public init(
        name: String, engine: EngineKind, modelType: ModelType, path: String, maxWorkers: Int = 1,
        queueCapacity: Int = 64, contextLength: Int? = nil, threads: Int? = nil, batchSize: Int? = nil,
        parallel: Int? = nil, preload: Bool = false, loadTimeout: Duration? = nil, parameters: [String: String] = [:],
        keepAlive: KeepAlive? = nil, pinned: Bool = false, sha256: String? = nil,
        version: String? = nil, warmUp: String? = nil
    ) {
        self.name = name
        self.engine = engine
        self.modelType = modelType
        self.path = path
        self.maxWorkers = maxWorkers
        self.queueCapacity = queueCapacity
        self.contextLength = contextLength
        self.threads = threads
        self.batchSize = batchSize
        self.parallel = parallel
        self.preload = preload
        self.loadTimeout = loadTimeout
        self.parameters = parameters
        self.keepAlive = keepAlive
        self.pinned = pinned
        self.sha256 = sha256
        self.version = version
        self.warmUp = warmUp
    }

    /// The engine pair that selects the engine type in an ``EngineFactory``.
    public var pair: EnginePair { EnginePair(engine: engine, modelType: modelType) }

    /// The model's location as a URL: the `http(s)` URL for remote models, a file URL otherwise.
    public var url: URL {
        if isRemote, let url = URL(string: path) { return url }
        return URL(fileURLWithPath: path)
    }

    /// Whether `path` is an `http(s)` URL that must be downloaded before the model loads.
    public var isRemote: Bool { path.hasPrefix("http://") || path.hasPrefix("https://") }
}
