public import ModelRegistry

/// An ``InferenceEngine`` that runs one ONNX model with ONNX Runtime (libonnxruntime, C API version 23).
///
/// `load(_:)` opens the model file named by the configuration's `path`, applying `threads` (ORT's intra-op thread
/// count) and the `graphOptimization` parameter (``OnnxGraphOptimization``). `run(_:outputs:)` checks the named
/// input tensors against the model in Swift first, then runs ONNX Runtime on a dedicated dispatch queue, so blocking
/// native work does not occupy a thread of Swift's cooperative pool, except for short runs, which the hop to that
/// queue would slow down: once a model's runs are measured to take at most `inlineRunMicroseconds` (a parameter,
/// default 1000; `0` turns this off), they execute on the calling thread. Concurrent runs on one engine are allowed. A model that
/// ends in ZipMaps (scikit-learn classifiers) gets their maps built in Swift, equal to ORT's and cheaper than reading
/// them through the C API (``OnnxZipMapRewrite``; the `zipMap` parameter, `swift` or `onnxruntime`).
///
/// ```swift
/// let engine = OnnxRuntimeEngine()
/// let config = ModelConfiguration(name: "iris", engine: .onnxruntime, modelType: .classifier,
///                                 path: "/models/logreg_iris.onnx", threads: 1)
/// try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: config))
/// print(engine.inputs)          // [float_input: tensor(float)[3, 2]]
/// let rows = Tensor(shape: [3, 2], floats: [5.1, 3.5, 6.4, 3.2, 6.3, 3.3])
/// let outputs = try await engine.run(["float_input": rows])
/// print(outputs["label"]?.tensor?.int64s ?? [])
/// await engine.unload()
/// ```
public final class OnnxRuntimeEngine: InferenceEngine {
    /// The lifecycle. Every method switches over it; an illegal transition throws an error naming the state.
    enum State {
        /// No model has been loaded yet.
        case idle
        /// A load is in flight; `id` tells this load from a later one.
        case loading(name: String, id: ModelID)
        /// A session is open.
        case loaded(LoadedModel)
        /// The model was unloaded; the engine may load again.
        case unloaded(name: String)

        /// The state's name, for errors.
        var label: String {
            switch self {
            case .idle: "idle"
            case .loading(let name, _): "loading \"\(name)\""
            case .loaded(let model): "serving \"\(model.name)\""
            case .unloaded: "unloaded"
            }
        }

        /// The model name the state knows, if any.
        var modelName: String? {
            switch self {
            case .idle: nil
            case .loading(let name, _), .unloaded(let name): name
            case .loaded(let model): model.name
            }
        }
    }

    /// A loaded model: its open session and what it declares. A class, so that a run hands it around with one
    /// reference count instead of copying a dozen fields.
    final class LoadedModel: Sendable {
        let name: String
        let path: String
        let session: ORTSession
        let info: OnnxModelInfo
        let fileSize: Int?
        /// What its runs cost so far, which decides where the next one executes.
        let runCost: Locked<RunCostEstimate>
        /// The inputs' names as C strings, in the model's order, made once for every run.
        let inputNames: CStringArray
        /// What a run fetches for each declared output, as C strings in the model's order: the output's name, or
        /// for a ZipMap removed by ``OnnxZipMapRewrite`` the name of the tensor it read.
        let outputNames: CStringArray
        /// For each output, the ZipMap removed from the session and built in Swift (``ZipMapShortcut``), if any;
        /// empty when the model has none.
        let zipMapShortcuts: [ZipMapShortcut?]
        /// Run options reused across the runs that go to the native queue (inline runs need none).
        let runOptions: RunOptionsPool
        /// `0..<outputs.count`, made once: the plan of a run that computes every output.
        let allOutputIndices: [Int]
        /// `[i]` for each output `i`, made once: the plan of a run that computes one output.
        let singleOutputIndices: [[Int]]
        /// For each input, in the model's order, what a run checks its tensor against. By position, so that checking
        /// a run's inputs hashes nothing.
        let inputDeclarations: [InputDeclaration]
        /// The outputs that declare no shape: a buffer of any rank may receive them.
        let unshapedOutputs: Set<String>
        /// Every output's name, each mapped to a placeholder, made once: a copying run of all outputs fills a copy
        /// of it through ``resultSlots``, which hashes no name (a copy keeps the entries where they are).
        let resultTemplate: [String: OnnxValue]
        /// For each output, the index of its entry in ``resultTemplate`` (and so in every copy of it).
        let resultSlots: [Dictionary<String, OnnxValue>.Index]

        init(
            name: String, path: String, session: ORTSession, info: OnnxModelInfo, fileSize: Int?,
            runCost: Locked<RunCostEstimate>, inputNames: CStringArray, outputNames: CStringArray,
            zipMapShortcuts: [ZipMapShortcut?], runOptions: RunOptionsPool,
            unshaped: (inputs: Set<String>, outputs: Set<String>) = ([], [])
        ) {
            inputDeclarations = info.inputs.map { input in
                InputDeclaration(input.type, unshaped: unshaped.inputs.contains(input.name))
            }
            unshapedOutputs = unshaped.outputs
            self.name = name
            self.path = path
            self.session = session
            self.info = info
            self.fileSize = fileSize
            self.runCost = runCost
            self.inputNames = inputNames
            self.outputNames = outputNames
            self.zipMapShortcuts = zipMapShortcuts
            self.runOptions = runOptions
            self.allOutputIndices = Array(info.outputs.indices)
            self.singleOutputIndices = info.outputs.indices.map { [$0] }
            let template = Dictionary(
                info.outputs.map { ($0.name, OnnxValue.sequence([])) }, uniquingKeysWith: { first, _ in first })
            resultTemplate = template
            resultSlots = info.outputs.map { template.index(forKey: $0.name)! }
        }
    }

    let state = Locked<State>(.idle)

    /// Where this engine's session creation and off-thread runs execute.
    package let nativeQueue = NativeQueue()

    /// Creates an engine that holds no model yet.
    public init() {}

    /// What the loaded model declares, or `nil` when no model is loaded.
    public var modelInfo: OnnxModelInfo? {
        state.withLock { if case .loaded(let model) = $0 { model.info } else { nil } }
    }

    /// The loaded model's inputs (names, element types, shapes), or `[]` when no model is loaded.
    public var inputs: [TensorInfo] { modelInfo?.inputs ?? [] }

    /// The loaded model's outputs (names, types, shapes), or `[]` when no model is loaded.
    public var outputs: [TensorInfo] { modelInfo?.outputs ?? [] }

    /// Whether a session is open.
    public var isLoaded: Bool { modelInfo != nil }

    /// What the loaded model's runs have cost and how many went inline, or `nil` when no model is loaded.
    /// For tests and diagnostics.
    var runCost: RunCostEstimate? {
        state.withLock { if case .loaded(let model) = $0 { model.runCost.withLock { $0 } } else { nil } }
    }

    /// The loaded model, or why there is none.
    func loadedModel() throws(OnnxRuntimeError) -> LoadedModel {
        try state.withLock { state throws(OnnxRuntimeError) -> LoadedModel in
            switch state {
            case .loaded(let model): return model
            case .idle, .unloaded: throw .notLoaded(model: state.modelName)
            case .loading(let name, _): throw .invalidState(model: name, operation: "run", state: state.label)
            }
        }
    }
}
