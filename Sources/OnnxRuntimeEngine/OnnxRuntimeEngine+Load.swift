internal import Foundation
internal import ModelPreflight
internal import ModelRegistry

/// The load options, read from the configuration and checked before any native call.
struct LoadSettings: Sendable {
    let name: String
    let path: String
    let threads: Int?
    let optimization: OnnxGraphOptimization?
    /// Runs expected to take at most this long execute on the calling thread (see ``RunCostEstimate``).
    let inlineRunBudget: Duration
    /// Whether the session uses the environment's shared thread pool; `nil` decides by whether there is one.
    let sharedThreadPool: Bool?
    /// The execution providers the configuration asks for; each must be in the library's list.
    let executionProviders: [String]
    /// Whether final ZipMaps are built in Swift from their input tensor (``OnnxZipMapRewrite``).
    let zipMapInSwift: Bool

    /// The parameter that sets ``inlineRunBudget``, in microseconds.
    static let inlineRunParameter = "inlineRunMicroseconds"
    /// ``inlineRunBudget`` when the parameter is absent.
    static let defaultInlineRunBudget = Duration.milliseconds(1)
    /// The parameter choosing the thread pool: `own` (per session) or `shared` (see ``OnnxSharedThreadPool``).
    static let threadPoolParameter = "threadPool"
    /// The parameter listing execution providers, comma-separated, e.g. `CPUExecutionProvider`.
    static let executionProvidersParameter = "executionProviders"
    /// The parameter choosing who builds a final ZipMap's maps for ``OnnxRuntimeEngine/run(_:outputs:)``: `swift`
    /// (the default, ``OnnxZipMapRewrite``) or `onnxruntime` (ORT's kernel, read through the C API).
    static let zipMapParameter = "zipMap"
    /// Every parameter key read here.
    static let parameterKeys: Set<String> = [
        OnnxGraphOptimization.parameterName, inlineRunParameter, threadPoolParameter, executionProvidersParameter,
        zipMapParameter,
    ]

    /// Reads and checks the options.
    /// - Throws: ``OnnxRuntimeError/invalidParameter(model:name:value:allowed:)`` for a negative thread count, an
    ///   unknown `graphOptimization` level, an `inlineRunMicroseconds` that is not a whole number from 0, or a
    ///   `threadPool` other than `own` or `shared`, or a `zipMap` other than `swift` or `onnxruntime`.
    init(_ context: EngineLoadContext) throws(OnnxRuntimeError) {
        let configuration = context.configuration
        name = context.name
        path = configuration.path
        if let threads = configuration.threads, threads < 0 {
            throw .invalidParameter(
                model: name, name: "threads", value: String(threads), allowed: "0 (ORT's default) or more")
        }
        threads = configuration.threads
        if let text = configuration.parameters[OnnxGraphOptimization.parameterName] {
            guard let level = OnnxGraphOptimization(parameter: text) else {
                throw .invalidParameter(
                    model: name, name: OnnxGraphOptimization.parameterName, value: text,
                    allowed: OnnxGraphOptimization.allCases.map(\.rawValue).joined(separator: ", "))
            }
            optimization = level
        } else {
            optimization = nil
        }
        if let text = configuration.parameters[Self.inlineRunParameter] {
            guard let microseconds = Int(text.trimmingCharacters(in: .whitespaces)), microseconds >= 0 else {
                throw .invalidParameter(
                    model: name, name: Self.inlineRunParameter, value: text,
                    allowed: "a whole number of microseconds from 0 (0 runs everything on the native queue)")
            }
            inlineRunBudget = .microseconds(microseconds)
        } else {
            inlineRunBudget = Self.defaultInlineRunBudget
        }
        switch configuration.parameters[Self.threadPoolParameter]?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil: sharedThreadPool = nil
        case "own": sharedThreadPool = false
        case "shared": sharedThreadPool = true
        case let other?:
            throw .invalidParameter(
                model: name, name: Self.threadPoolParameter, value: other,
                allowed: "own (a pool per session) or shared (OnnxRuntime.configureSharedThreadPool)")
        }
        executionProviders = (configuration.parameters[Self.executionProvidersParameter] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        switch configuration.parameters[Self.zipMapParameter]?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "swift": zipMapInSwift = true
        case "onnxruntime": zipMapInSwift = false
        case let other?:
            throw .invalidParameter(
                model: name, name: Self.zipMapParameter, value: other,
                allowed: "swift (maps built from the ZipMap's input tensor) or onnxruntime (ORT's ZipMap kernel)")
        }
    }
}

extension OnnxRuntimeEngine {
    /// Opens the model file. Blocking: runs on the native queue.
    /// - Parameters:
    ///   - settings: The checked load settings.
    ///   - clearance: The file's preflight, confirmed (``confirm(_:model:path:)``) after the checks made in Swift
    ///     and just before ORT opens the file.
    /// - Throws: ``OnnxRuntimeError``.
    static func open(_ settings: LoadSettings, clearance: PreflightClearance?) throws(OnnxRuntimeError) -> LoadedModel {
        let name = settings.name
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: settings.path, isDirectory: &isDirectory), !isDirectory.boolValue
        else { throw .fileNotFound(model: name, path: settings.path) }
        try checkExecutionProviders(settings)
        let environment = try ORTEnvironment.get(model: name)
        let options = try native(name, "CreateSessionOptions") { () throws(OnnxRuntimeStatus) in
            try ORTSessionOptions(api: environment.api)
        }
        let useSharedPool = settings.sharedThreadPool ?? (environment.sharedThreadPool != nil)
        if useSharedPool {
            guard environment.sharedThreadPool != nil else {
                throw .invalidParameter(
                    model: name, name: LoadSettings.threadPoolParameter, value: "shared",
                    allowed: "own, or shared after OnnxRuntime.configureSharedThreadPool(_:) (or "
                        + "\(OnnxSharedThreadPool.environmentVariable)) before the first model loads")
            }
            try native(name, "DisablePerSessionThreads") { () throws(OnnxRuntimeStatus) in
                try options.disablePerSessionThreads()
            }
        } else if let threads = settings.threads {
            try native(name, "SetIntraOpNumThreads") { () throws(OnnxRuntimeStatus) in
                try options.setIntraOpThreads(threads)
            }
        }
        if let level = settings.optimization {
            try native(name, "SetSessionGraphOptimizationLevel") { () throws(OnnxRuntimeStatus) in
                try options.setGraphOptimization(level)
            }
        }
        // not a file swapped in after its preflight, nor one the child's ORT refused
        try confirm(clearance, model: name, path: settings.path)
        let (session, info, shortcuts) = try openSession(settings, environment: environment, options: options)
        let size = (try? FileManager.default.attributesOfItem(atPath: settings.path)[.size] as? NSNumber)?.intValue
        // What the session computes for each declared output: its own name, or a removed ZipMap's input.
        let outputNames = CStringArray(info.outputs.indices.map { index in
            shortcuts.isEmpty ? info.outputs[index].name : shortcuts[index]?.input ?? info.outputs[index].name
        })
        return LoadedModel(
            name: name, path: settings.path, session: session, info: info, fileSize: size,
            runCost: Locked(RunCostEstimate(inlineBudget: settings.inlineRunBudget)),
            inputNames: CStringArray(info.inputs.map(\.name)), outputNames: outputNames, zipMapShortcuts: shortcuts,
            runOptions: RunOptionsPool(api: session.api),
            // ORT reports a tensor without a declared shape as a scalar: only the file tells the two apart
            unshaped: (info.inputs + info.outputs).contains { $0.shape == [] }
                ? OnnxModelScan.unshapedTensors(path: settings.path) : ([], []))
    }

    /// Creates the session, from the model rewritten by ``OnnxZipMapRewrite`` when it ends in ZipMaps (and the
    /// settings allow it), else from the file. Returns the declared model (each removed ZipMap's output at its
    /// place, the tensor added in its stead hidden) and, for a rewritten model, one entry per declared output: its
    /// shortcut, or `nil` for an output ORT computes.
    private static func openSession(
        _ settings: LoadSettings, environment: ORTEnvironment, options: ORTSessionOptions
    ) throws(OnnxRuntimeError) -> (ORTSession, OnnxModelInfo, [ZipMapShortcut?]) {
        let name = settings.name
        if settings.zipMapInSwift, let rewritten = OnnxZipMapRewrite.rewrite(path: settings.path),
            let session = try? ORTSession(model: rewritten.model, environment: environment, options: options)
        {
            let all = try native(name, "SessionGetModelMetadata") { () throws(OnnxRuntimeStatus) in
                try session.modelInfo()
            }
            if let (outputs, shortcuts) = declaredOutputs(of: rewritten, session: all.outputs) {
                let info = OnnxModelInfo(
                    inputs: all.inputs, outputs: outputs, producerName: all.producerName, graphName: all.graphName,
                    domain: all.domain, modelDescription: all.modelDescription, version: all.version)
                return (session, info, shortcuts)
            }
        }
        let session: ORTSession
        do throws(OnnxRuntimeStatus) {
            session = try ORTSession(path: settings.path, environment: environment, options: options)
        } catch {
            throw .loadFailure(model: name, path: settings.path, status: error)
        }
        let info = try native(name, "SessionGetModelMetadata") { () throws(OnnxRuntimeStatus) in
            try session.modelInfo()
        }
        return (session, info, [])
    }

    /// The outputs the original model declares, in its order, and the shortcut for each removed ZipMap's output;
    /// `nil` when the rewritten session's outputs are not the declared ones without the ZipMaps' followed by the
    /// added tensors (ORT lists graph outputs in the file's order), so that the file is opened as it is instead.
    private static func declaredOutputs(
        of rewritten: OnnxZipMapRewrite.Rewritten, session outputs: [TensorInfo]
    ) -> ([TensorInfo], [ZipMapShortcut?])? {
        let byOutput = Dictionary(rewritten.zipMaps.map { ($0.output, $0) }, uniquingKeysWith: { first, _ in first })
        let kept = rewritten.declaredOutputs.filter { byOutput[$0] == nil }
        guard outputs.map(\.name) == kept + rewritten.zipMaps.map(\.input) else { return nil }
        var declared: [TensorInfo] = []
        var shortcuts: [ZipMapShortcut?] = []
        var next = outputs.makeIterator()
        for output in rewritten.declaredOutputs {
            if let node = byOutput[output] {
                // ZipMap's output type: seq(map(int64 or string, float)), as ORT reports it for the original file.
                let key: TensorElementType = if case .int64s = node.labels { .int64 } else { .string }
                let type = OnnxValueType.sequence(.map(key: key, value: .tensor(elementType: .float, shape: [])))
                declared.append(TensorInfo(name: output, type: type))
                shortcuts.append(ZipMapShortcut(labels: node.labels, input: node.input))
            } else if let info = next.next() {
                declared.append(info)
                shortcuts.append(nil)
            }
        }
        return (declared, shortcuts)
    }

    /// Checks that every execution provider the configuration names is in this library (`GetAvailableProviders`).
    /// The engine runs on the CPU provider, which every build has; naming another one makes the load fail early
    /// with the list of what the build offers instead of running somewhere unexpected.
    /// - Throws: ``OnnxRuntimeError/executionProviderUnavailable(model:provider:available:)``.
    private static func checkExecutionProviders(_ settings: LoadSettings) throws(OnnxRuntimeError) {
        guard !settings.executionProviders.isEmpty else { return }
        let available = try OnnxRuntime.availableProviders()
        for provider in settings.executionProviders where !available.contains(provider) {
            throw .executionProviderUnavailable(model: settings.name, provider: provider, available: available)
        }
        for provider in settings.executionProviders where provider != "CPUExecutionProvider" {
            throw .invalidParameter(
                model: settings.name, name: LoadSettings.executionProvidersParameter, value: provider,
                allowed: "CPUExecutionProvider (this engine appends no other provider yet)")
        }
    }

    /// Runs an ORT call, turning its status into ``OnnxRuntimeError/native(model:operation:status:)``.
    static func native<T>(
        _ model: String, _ operation: String, _ body: () throws(OnnxRuntimeStatus) -> T
    ) throws(OnnxRuntimeError) -> T {
        do throws(OnnxRuntimeStatus) {
            return try body()
        } catch {
            throw .native(model: model, operation: operation, status: error)
        }
    }
}
